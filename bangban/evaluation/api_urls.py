from django.urls import path  # noqa: F401

# Each part of the app keeps its paths in its own block (several people edit this file).
urlpatterns: list = []

# --- ratings, rectifications, follow-up visits ---
urlpatterns += []
# --- end ratings, rectifications, follow-up visits ---

# --- complaints and accountability ---
urlpatterns += []
# --- end complaints and accountability ---
