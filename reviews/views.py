from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import reviews_for_dashboard


@login_required
def dashboard(request):
    return render(request, "reviews/dashboard.html", {"reviews": reviews_for_dashboard(request.user)})
