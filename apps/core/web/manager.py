"""The property managers' web shell (/manager/): layout, login, home, language switch.

Modules add their pages under /manager/<module>/ (apps/<module>/web/urls.py) and extend
templates/base.html.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from .forms import PhoneLoginForm


@login_required
def home(request):
    return render(request, "manager/home.html", {})


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
