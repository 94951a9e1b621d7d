from django.urls import path  # noqa: F401

app_name = "supervision"

# Each part of the app keeps its paths in its own block (several people edit this file).
urlpatterns: list = []

# --- metrics and planner accuracy ---
urlpatterns += []
# --- end metrics and planner accuracy ---

# --- dashboard and staffing ---
urlpatterns += []
# --- end dashboard and staffing ---

# --- monthly report and annual evaluation ---
urlpatterns += []
# --- end monthly report and annual evaluation ---
