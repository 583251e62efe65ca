from django.urls import path

from . import views
from .views import live

app_name = "community"
urlpatterns = [
    path("", views.index, name="index"),
    path("live/", live.live_list, name="live_list"),
    path("live/open/<int:course_id>/", live.live_open, name="live_open"),
    path("live/<int:pk>/", live.live_room, name="live_room"),
    path("live/<int:pk>/ask/", live.live_ask, name="live_ask"),
    path("live/<int:pk>/close/", live.live_close, name="live_close"),
    path("live/<int:pk>/questions/<int:message_id>/vote/", live.live_vote, name="live_vote"),
    path("live/<int:pk>/questions/<int:message_id>/answer/", live.live_answer, name="live_answer"),
    path("live/<int:pk>/questions/<int:message_id>/answered/", live.live_mark, name="live_mark"),
]
