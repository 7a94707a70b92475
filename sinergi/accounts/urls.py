from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from sinergi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("masuk/kode/", views.login_code, name="login-code"),
    path("dua-langkah/", views.two_factor, name="two-factor"),
    path("dua-langkah/matikan/", views.two_factor_disable, name="two-factor-disable"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "kata-sandi/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password_change_done")),
        name="password_change",
    ),
    path("kata-sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "lupa/",
        auth_views.PasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path("lupa/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "lupa/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("accounts:password_reset_complete")),
        name="password_reset_confirm",
    ),
    path("lupa/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("staf/", views.staff_list, name="staff"),
    path("staf/baru/", views.staff_create, name="staff-create"),
    path("staf/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("staf/<int:pk>/peran/", views.role_grant, name="role-grant"),
    path("staf/<int:pk>/peran/<int:role_pk>/hapus/", views.role_revoke, name="role-revoke"),
    path("staf/<int:pk>/dua-langkah/matikan/", views.staff_two_factor_reset, name="staff-two-factor-reset"),
    path("token/", views.token_list, name="tokens"),
    path("token/<int:pk>/cabut/", views.token_revoke, name="token-revoke"),
]
