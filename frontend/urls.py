from django.urls import path

from . import views

app_name = "frontend"
urlpatterns = [
    path("elder/", views.elder_mode, name="elder_mode"),
    path("text-size/", views.text_size, name="text_size"),
]
