from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("second-factor/enrol/", views.second_factor_enrol, name="second_factor_enrol"),
    path("second-factor/", views.second_factor_verify, name="second_factor_verify"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("api-token/", views.api_token, name="api_token"),
]
