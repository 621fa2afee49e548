from .access import can_see_portfolio
from .roles import READ_ALL_ROLES, Role, roles_of


def roles(request):
    user_roles = roles_of(getattr(request, "user", None))
    return {
        "user_roles": user_roles,
        "is_requester": Role.REQUESTER in user_roles,
        "is_reviewer": bool(user_roles & {Role.LEGAL, Role.SECURITY}),
        "reads_all": bool(user_roles & READ_ALL_ROLES),
        "sees_portfolio": can_see_portfolio(getattr(request, "user", None)),
    }
