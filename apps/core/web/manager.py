"""The web shell (/manager/): layout, login, each user's landing page, language switch.

Modules add their pages under /manager/<module>/ (apps/<module>/web/urls.py), extend
templates/base.html and register their menu entries in apps/<module>/nav.py
(apps/core/navigation.py).
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, resolve, reverse

from .. import navigation
from .calendar import calendar_page
from .forms import PhoneLoginForm
from .search import search_page


@login_required
def home(request):
    """Each user lands on their own home, chosen through the menu: the entry a module
    registered as a home for one of the user's roles, highest priority first (the agency's
    dashboard, a collector's worklist, a merchant's point of sale, a landlord's owner portal,
    a tenant's space, the back-office). A home under /manager/ is shown here (the address
    stays /manager/), another is a redirect; nobody's home: the welcome page."""
    target = navigation.for_request(request).home
    if target is None:
        return render(request, "manager/home.html", {})
    if not target.startswith(reverse("manager:home")):
        return redirect(target)
    match = resolve(target)
    return match.func(request, *match.args, **match.kwargs)


urlpatterns = [
    path("", home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="manager/login.html",
            authentication_form=PhoneLoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("search/", search_page, name="search"),
    path("calendar/", calendar_page, name="calendar"),
]
