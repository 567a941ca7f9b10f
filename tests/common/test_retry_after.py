import datetime

from django.utils import timezone

from common.retry_after import retry_after


def test_retry_after_reads_seconds_and_dates():
    in_a_minute = timezone.now() + datetime.timedelta(seconds=60)
    assert retry_after("120") == 120
    assert retry_after(" 0 ") == 0
    assert 55 < retry_after(in_a_minute.strftime("%a, %d %b %Y %H:%M:%S GMT")) <= 60
    assert retry_after("-5") == 0
    assert retry_after(None) is None and retry_after("soon") is None
