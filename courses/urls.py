from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("me/", views.my_learning, name="me"),
    path("c/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("c/<int:course_id>/withdraw/", views.withdraw, name="withdraw"),
    path("c/<int:course_id>/lesson/<str:lesson_id>/", views.lesson, name="lesson"),
    path("c/<int:course_id>/lesson/<str:lesson_id>/progress/", views.heartbeat, name="heartbeat"),
    path("c/<int:course_id>/lesson/<str:lesson_id>/done/", views.lesson_done, name="lesson_done"),
    path("c/<int:course_id>/lesson/<str:lesson_id>/quiz/", views.quiz_submit, name="quiz_submit"),
    path("exams/", views.exams, name="exams"),
    path("exams/<int:exam_id>/register/", views.exam_register, name="exam_register"),
    path("exams/registrations/<int:registration_id>/cancel/", views.exam_registration_cancel,
         name="exam_registration_cancel"),
    path("attend/", views.attend_code, name="attend_code"),
    path("attend/<str:code>/", views.attend, name="attend"),
    path("scan/<str:code>/", views.scan_personal, name="scan_personal"),
    path("staff/", views.staff, name="staff"),
    path("staff/courses.xlsx", views.staff_export, name="staff_export"),
    path("staff/session/<int:session_id>/", views.staff_session, name="staff_session"),
    path("staff/session/<int:session_id>/qr/", views.staff_session_qr, name="staff_session_qr"),
    path("staff/session/<int:session_id>/roster.xlsx", views.staff_session_roster, name="staff_session_roster"),
    path("staff/course/<int:course_id>/roster.xlsx", views.staff_course_roster, name="staff_course_roster"),
    path("staff/exam/<int:exam_id>/", views.staff_exam, name="staff_exam"),
    path("staff/session/new/", views.staff_session_new, name="staff_session_new"),
    path("staff/session/<int:session_id>/edit/", views.staff_session_edit, name="staff_session_edit"),
    path("staff/session/<int:session_id>/cancel/", views.staff_session_cancel, name="staff_session_cancel"),
    path("staff/exam/new/", views.staff_exam_new, name="staff_exam_new"),
    path("staff/exam/<int:exam_id>/edit/", views.staff_exam_edit, name="staff_exam_edit"),
    path("staff/exam/<int:exam_id>/cancel/", views.staff_exam_cancel, name="staff_exam_cancel"),
]
