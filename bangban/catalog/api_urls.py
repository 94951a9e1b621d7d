from django.urls import path

from . import api

urlpatterns = [
    path("catalog/items/", api.ItemListApi.as_view(), name="api-catalog-item-list"),
    path("catalog/items/<str:code>/", api.ItemDetailApi.as_view(), name="api-catalog-item-detail"),
]
