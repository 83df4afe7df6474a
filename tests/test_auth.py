"""tracker.auth: who gets the ledger, the login form or the refusal; the password check; the lockout."""
from __future__ import annotations

import hmac
import unicodedata

import pytest

from tracker import auth

LOOPBACK = ["127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "::ffff:127.0.0.1", "::ffff:7f00:1",
            "[::1]", " 127.0.0.1 ", "0:0:0:0:0:0:0:1", "::1%lo"]
OTHERS = ["192.168.0.7", "10.0.0.2", "172.16.5.4", "100.64.0.1", "8.8.8.8", "fe80::1", "fe80::1%eth0",
          "2001:db8::1", "::ffff:192.168.0.7", "0.0.0.0", "::", "128.0.0.1", "126.255.255.255"]
NOT_ADDRESSES = ["", "localhost", "unknown", "127.0.0.1:8501", "127.0.0.1.5", "::1::", "999.0.0.1", "[::1"]


@pytest.mark.parametrize("ip", LOOPBACK)
def test_loopback_addresses(ip):
    assert auth.is_loopback(ip)


@pytest.mark.parametrize("ip", OTHERS + NOT_ADDRESSES)
def test_other_addresses_and_non_addresses_are_not_loopback(ip):
    assert not auth.is_loopback(ip)


@pytest.mark.parametrize("host", ["localhost", "localhost:8501", "LOCALHOST:8501", "localhost.", "localhost.:8501",
                                  "app.localhost:8501", "127.0.0.1", "127.0.0.1:8501", "127.1.2.3:80",
                                  "[::1]", "[::1]:8501", "[::ffff:127.0.0.1]:8501", "::1"])
def test_hosts_that_name_this_computer(host):
    assert auth.is_local_host(host)


@pytest.mark.parametrize("host", ["", ":8501", "labeler.example.com", "abcd.ngrok-free.app", "localhost.example.com",
                                  "mylaptop:8501", "192.168.0.7:8501", "[fe80::1]:8501", "[::1", "notlocalhost",
                                  "evil-localhost:8501"])
def test_hosts_that_name_something_else(host):
    assert not auth.is_local_host(host)


# access(): the whole table


@pytest.mark.parametrize("ip", [None, *LOOPBACK])
def test_without_a_password_this_computer_opens(ip):
    assert auth.access(ip, password_set=False, signed_in=False) == "open"
    assert auth.access(ip, password_set=False, signed_in=False, host="localhost:8501") == "open"
    assert auth.access(ip, password_set=False, signed_in=True) == "open"


@pytest.mark.parametrize("ip", OTHERS + NOT_ADDRESSES)
def test_without_a_password_another_computer_is_refused(ip):
    assert auth.access(ip, password_set=False, signed_in=False) == "refuse"
    assert auth.access(ip, password_set=False, signed_in=False, host="localhost:8501") == "refuse"
    # a stale flag from an earlier run with a password changes nothing
    assert auth.access(ip, password_set=False, signed_in=True) == "refuse"


@pytest.mark.parametrize("ip", [None, "127.0.0.1"])
def test_without_a_password_a_tunnel_on_this_computer_is_refused(ip):
    # ngrok, cloudflared, a reverse proxy without X-Forwarded-For: the peer is loopback, the Host is public.
    assert auth.access(ip, password_set=False, signed_in=False, host="abcd.ngrok-free.app") == "refuse"


@pytest.mark.parametrize("ip", [None, *LOOPBACK, *OTHERS, *NOT_ADDRESSES])
@pytest.mark.parametrize("host", [None, "localhost:8501", "labeler.example.com"])
def test_with_a_password_everyone_signs_in_first(ip, host):
    assert auth.access(ip, password_set=True, signed_in=False, host=host) == "login"
    assert auth.access(ip, password_set=True, signed_in=True, host=host) == "open"


# The password


def test_password_matches_only_the_same_password():
    assert auth.password_matches("월급날은10일", "월급날은10일")
    assert auth.password_matches("correct horse", "correct horse")
    assert not auth.password_matches("월급날은10일 ", "월급날은10일")
    assert not auth.password_matches("월급날은", "월급날은10일")
    assert not auth.password_matches("Correct horse", "correct horse")
    assert not auth.password_matches("", "correct horse")
    assert not auth.password_matches(None, "correct horse")


def test_no_configured_password_matches_nothing():
    assert not auth.password_matches("", "")
    assert not auth.password_matches("anything", "")
    assert not auth.password_matches("", None)


def test_hangul_typed_composed_or_decomposed_is_the_same_password():
    composed = "비밀번호"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert auth.password_matches(decomposed, composed)
    assert auth.password_matches(composed, decomposed)


def test_the_comparison_is_hmac_compare_digest(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((type(a), type(b), len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    assert not auth.password_matches("짧은", "훨씬 더 긴 비밀번호")
    # bytes of equal length whatever the lengths of the passwords: nothing about the password leaks
    assert calls == [(bytes, bytes, 32, 32)]


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, None),
    ({"TRACKER_PASSWORD": ""}, None),
    ({"TRACKER_PASSWORD": "s3cret"}, "s3cret"),
    ({"TRACKER_PASSWORD": " 공백 포함 "}, " 공백 포함 "),
])
def test_configured_password(environ, expected):
    assert auth.configured_password(environ) == expected


def test_configured_password_reads_the_environment(monkeypatch):
    monkeypatch.delenv("TRACKER_PASSWORD", raising=False)
    assert auth.configured_password() is None
    monkeypatch.setenv("TRACKER_PASSWORD", "s3cret")
    assert auth.configured_password() == "s3cret"


# Guessing


def test_the_first_wrong_passwords_wait_nothing():
    for failures in range(auth.MAX_FAILURES):
        assert auth.retry_after(failures, last_failure=100.0, now=100.0) == 0.0
    assert auth.retry_after(0, last_failure=None, now=100.0) == 0.0


def test_after_too_many_wrong_passwords_each_try_waits():
    last = 1_000.0
    assert auth.retry_after(auth.MAX_FAILURES, last, now=last) == auth.LOCKOUT_SECONDS
    assert auth.retry_after(auth.MAX_FAILURES, last, now=last + 10) == auth.LOCKOUT_SECONDS - 10
    assert auth.retry_after(auth.MAX_FAILURES + 3, last, now=last + auth.LOCKOUT_SECONDS) == 0.0
    assert auth.retry_after(auth.MAX_FAILURES, last, now=last + auth.LOCKOUT_SECONDS + 5) == 0.0
