from django.urls import path

from .views import home, live

app_name = "community"
urlpatterns = [
    path("", home.index, name="index"),
    path("live/", live.live_list, name="live_list"),
    path("live/open/<int:course_id>/", live.live_open, name="live_open"),
    path("live/<int:pk>/", live.live_room, name="live_room"),
    path("live/<int:pk>/ask/", live.live_ask, name="live_ask"),
    path("live/<int:pk>/close/", live.live_close, name="live_close"),
    path("live/<int:pk>/questions/<int:message_id>/vote/", live.live_vote, name="live_vote"),
    path("live/<int:pk>/questions/<int:message_id>/answer/", live.live_answer, name="live_answer"),
    path("live/<int:pk>/questions/<int:message_id>/answered/", live.live_mark, name="live_mark"),
    path("live/<int:pk>/questions/<int:message_id>/hide/", live.live_hide, name="live_hide"),
    path("live/<int:pk>/questions/<int:message_id>/restore/", live.live_restore, name="live_restore"),
    path("live/<int:pk>/questions/<int:message_id>/report/", live.live_report, name="live_report"),
]
