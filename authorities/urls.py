from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from . import views

# Django's own auth views answer some other methods with a redirect; every
# page here answers 405 to a method it does not take, like the rest.
get_or_post = require_http_methods(["GET", "POST"])

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", get_or_post(views.SignInView.as_view()), name="login"),
    path(
        "sign-out/",
        require_http_methods(["POST"])(auth_views.LogoutView.as_view()),
        name="logout",
    ),
    path(
        "password-reset/",
        get_or_post(views.ResetRequestView.as_view()),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        require_GET(
            auth_views.PasswordResetDoneView.as_view(
                template_name="registration/password_reset_done.html"
            )
        ),
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        get_or_post(views.ResetConfirmView.as_view()),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        require_GET(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="registration/password_reset_complete.html"
            )
        ),
        name="password-reset-complete",
    ),
]
