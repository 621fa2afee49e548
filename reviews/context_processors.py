from .access import can_see_portfolio
from .roles import Role, roles_of


def roles(request):
    user_roles = roles_of(getattr(request, "user", None))
    return {
        "user_roles": user_roles,
        "is_requester": Role.REQUESTER in user_roles,
        "is_reviewer": bool(user_roles & {Role.LEGAL, Role.SECURITY}),
        "sees_portfolio": can_see_portfolio(getattr(request, "user", None)),
    }
