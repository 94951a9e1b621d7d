from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("accounts/workbench/", views.home, name="home"),
    path("accounts/workbench/tools/", views.tools, name="tools"),
    path("accounts/workbench/due/", views.due_calculator, name="due_calculator"),
    path("accounts/workbench/messages/", views.messages_page, name="messages"),
]
