"""No copy of a signed-in page or an API answer is kept: not by the browser's cache (a shared desk, the back
button after signing out), not by a proxy between the user and the site. Such pages carry reviews, personal data
of vendors' contacts and Legal's reasons; the sign-in page and the static files are not concerned.

Imports no app (config/ never does): it reads only the request's user and the URL's namespace."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if (match is not None and "api" in match.namespaces) or (user is not None and user.is_authenticated):
            # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private (and Expires now).
            add_never_cache_headers(response)
        return response
