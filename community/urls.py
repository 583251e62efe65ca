from django.urls import path

from .views import home

app_name = "community"
urlpatterns = [
    path("", home.index, name="index"),
]
