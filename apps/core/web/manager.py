"""The property managers' web shell (/manager/): layout, login, home, language switch.

Modules add their pages under /manager/<module>/ (apps/<module>/web/urls.py) and extend
templates/base.html.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, path, resolve, reverse

from .forms import PhoneLoginForm


@login_required
def home(request):
    """The property managers' dashboard when estate is installed (reached through the URL
    map: core sits below every module), else the welcome page."""
    try:
        match = resolve(reverse("manager:estate-dashboard"))
    except NoReverseMatch:
        return render(request, "manager/home.html", {})
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
]
