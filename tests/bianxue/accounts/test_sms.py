"""SMS goes only to mainland mobile numbers unless SMS_ALLOWED_COUNTRY_CODES says otherwise."""

import pytest
from bianxue.accounts import sms
from bianxue.accounts.fields import PhoneField
from django import forms
from django.urls import reverse
from django.utils import translation

PASSWORD = "Kaifeng-Learn-2026!"


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def test_mainland_number_is_sent():
    sms.sms_send(phone="+8613800001234", message="【汴学】测试")
    assert sms.outbox == [{"phone": "+8613800001234", "message": "【汴学】测试"}]


@pytest.mark.parametrize("phone", ["+12025550123", "+447700900123", "+85291234567"])
def test_other_countries_are_refused_before_any_backend(phone):
    with pytest.raises(sms.SMSCountryRefused):
        sms.sms_send(phone=phone, message="code 123456")
    assert sms.outbox == []


def test_configured_countries_are_allowed(settings):
    settings.SMS_ALLOWED_COUNTRY_CODES = ["86", "852"]
    sms.sms_send(phone="+85291234567", message="code")
    assert sms.outbox[-1]["phone"] == "+85291234567"


@pytest.mark.parametrize(("lang", "message"), [("zh-hans", "目前只支持中国大陆手机号"),
                                               ("en", "Only mainland China mobile numbers are supported")])
def test_phone_field_refuses_foreign_numbers_in_the_readers_language(lang, message):
    with translation.override(lang), pytest.raises(forms.ValidationError) as refused:
        PhoneField().clean("+12025550123")
    assert message in str(refused.value)


@pytest.mark.django_db
def test_sign_up_with_a_foreign_number_sends_nothing_and_creates_nobody(client, django_user_model):
    response = client.post(reverse("account_signup"),
                           {"phone": "+12025550123", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 200
    assert "目前只支持中国大陆手机号" in response.content.decode()
    assert sms.outbox == []
    assert not django_user_model.objects.exists()
