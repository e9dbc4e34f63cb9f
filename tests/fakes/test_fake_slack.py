"""Tests for FakeSlack's Web API side, driven by a real slack_sdk WebClient over loopback HTTP."""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

from tests.fakes import block_kit_limits, web_responses
from tests.fakes.slack_api import FakeSlack
from tests.support.waiting import wait_until

SPEC_DIR = Path(__file__).resolve().parents[3] / "shared" / "slack-api-specs"
SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "hei"}}
MODAL = {"type": "modal", "title": {"type": "plain_text", "text": "Søknad"}, "blocks": [SECTION]}


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.base_url, token="xoxb-test")


def post(fake: FakeSlack, method: str, form: dict, token: str | None = "xoxb-test") -> tuple[int, dict, dict]:
    """A raw form POST (what a client that bypasses slack_sdk would send)."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(fake.base_url + method, urlencode(form).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_committed_method_table_matches_the_spec() -> None:
    spec_file = SPEC_DIR / "slack_web_openapi_v2_without_examples.json"
    if not spec_file.exists():
        pytest.skip("Slack's spec is not checked out next to the project")
    import scripts.extract_slack_spec as extractor

    committed = json.loads((Path(__file__).parent / "slack_web_api_methods.json").read_text())
    assert extractor.extract(json.loads(spec_file.read_text())) == committed


def test_answers_like_slack(fake: FakeSlack, client: WebClient) -> None:
    fake.users_by_email = {"kari@statsforvalteren.no": "U123"}
    assert client.auth_test()["user_id"] == web_responses.SlackWorkspace.bot_user_id

    first = client.chat_postMessage(channel="C1", text="hei")
    second = client.chat_postMessage(channel="C1", blocks=[SECTION], text="fallback")
    assert first["channel"] == "C1" and first["message"]["text"] == "hei"
    assert float(second["ts"]) > float(first["ts"])
    updated = client.chat_update(channel="C1", ts=first["ts"], text="endret")
    assert updated["message"]["text"] == "endret"
    with pytest.raises(SlackApiError) as missing:
        client.chat_update(channel="C1", ts="1.000001", text="x")
    assert missing.value.response["error"] == "message_not_found"

    dm = client.conversations_open(users="U123")["channel"]["id"]
    assert dm.startswith("D") and client.conversations_open(users=["U123"])["channel"]["id"] == dm
    assert client.conversations_open(users="U999")["channel"]["id"] != dm
    assert client.chat_postMessage(channel="U123", text="dm")["channel"] == dm  # Slack posts into the DM

    user = client.users_lookupByEmail(email="kari@statsforvalteren.no")["user"]
    assert user["id"] == "U123" and user["profile"]["email"] == "kari@statsforvalteren.no"
    assert client.users_info(user="U123")["user"]["tz"] == "Europe/Oslo"
    with pytest.raises(SlackApiError) as unknown:
        client.users_lookupByEmail(email="nobody@example.com")
    assert unknown.value.response["error"] == "users_not_found"

    view = client.views_open(trigger_id=fake.new_trigger_id(), view=MODAL)["view"]
    assert view["id"].startswith("V") and view["title"]["text"] == "Søknad"
    again = client.views_update(view_id=view["id"], hash=view["hash"], view=MODAL)["view"]
    assert again["id"] == view["id"]
    home = client.views_publish(user_id="U123", view={"type": "home", "blocks": [SECTION]})["view"]
    assert home["type"] == "home"
    assert client.chat_postEphemeral(channel="C1", user="U123", text="psst")["message_ts"]
    assert client.reactions_add(channel="C1", name="eyes", timestamp=first["ts"])["ok"]  # in spec, no handler

    assert [c.method for c in fake.calls][:3] == ["auth.test", "chat.postMessage", "chat.postMessage"]
    assert fake.calls[1].token == "xoxb-test" and fake.calls[1].args == {"channel": "C1", "text": "hei"}
    fake.assert_no_violations()


def test_form_encoded_json_args_are_decoded(fake: FakeSlack) -> None:
    status, _, body = post(fake, "chat.postMessage", {"channel": "C1", "blocks": json.dumps([SECTION])})
    assert status == 200 and body["ok"]
    assert fake.calls_to("chat.postMessage")[0].args["blocks"] == [SECTION]
    fake.assert_no_violations()


def test_missing_required_argument_is_a_violation(fake: FakeSlack) -> None:
    _, _, body = post(fake, "chat.postMessage", {"text": "no channel"})
    assert body == {
        "ok": False,
        "error": "invalid_arguments",
        "response_metadata": {"messages": ["chat.postMessage: missing required argument 'channel'"]},
    }
    assert fake.calls_to("chat.postMessage")  # delivered, and refused like Slack does
    with pytest.raises(AssertionError, match="missing required argument 'channel'"):
        fake.assert_no_violations()


def test_token_rules(fake: FakeSlack) -> None:
    assert post(fake, "auth.test", {}, token=None)[2]["error"] == "not_authed"
    assert post(fake, "auth.test", {"token": "xoxb-in-body"})[2]["ok"]  # token as an argument counts
    assert post(fake, "apps.connections.open", {})[2]["error"] == "not_allowed_token_type"
    assert post(fake, "chat.postMessage", {"channel": "C1", "text": "x"}, token="xapp-1")[2]["ok"] is False
    assert len(fake.violations) == 3


def test_unknown_method_is_refused_and_reported(fake: FakeSlack) -> None:
    assert post(fake, "chat.postMesage", {"channel": "C1"})[2] == {"ok": False, "error": "unknown_method"}
    assert fake.violations == ["chat.postMesage: not a method in Slack's Web API spec"]


def test_interactivity_pointer_replaces_trigger_id(fake: FakeSlack, client: WebClient) -> None:
    client.views_open(interactivity_pointer="123.abc", view=MODAL)
    with pytest.raises(SlackApiError):
        client.api_call("views.open", json={"view": MODAL})
    assert fake.violations == ["views.open: needs one of trigger_id, interactivity_pointer"]


def test_51_blocks_is_a_violation(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="ok", blocks=[SECTION] * 50)
    fake.assert_no_violations()
    with pytest.raises(SlackApiError) as error:
        client.chat_postMessage(channel="C1", text="too many", blocks=[SECTION] * 51)
    assert error.value.response["error"] == "invalid_blocks"
    assert fake.violations == ["chat.postMessage: blocks: 51 blocks (max 50)"]


def test_lenient_mode_reports_but_delivers() -> None:
    with FakeSlack(reject_invalid=False) as fake:
        client = WebClient(base_url=fake.base_url, token="xoxb-test")
        assert client.chat_postMessage(channel="C1", text="x" * 40_001)["ok"]
        assert fake.violations == ["chat.postMessage: message: text is 40001 chars (max 40000)"]


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        (MODAL | {"title": {"type": "plain_text", "text": "x" * 25}}, "modal title is 25 chars (max 24)"),
        (MODAL | {"blocks": [SECTION] * 101}, "101 blocks (max 100)"),
        (MODAL | {"blocks": [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]}, "header"),
        (MODAL | {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "s" * 3001}}]}, "section"),
    ],
)
def test_view_limits(view: dict, expected: str) -> None:
    assert block_kit_limits.check_view(MODAL) == []
    assert block_kit_limits.check_view(MODAL | {"blocks": [SECTION] * 100}) == []
    problems = block_kit_limits.check_view(view)
    assert len(problems) == 1 and expected in problems[0]


def test_button_limits() -> None:
    button = {"type": "button", "text": {"type": "plain_text", "text": "Ja"}, "action_id": "a", "value": "v"}
    actions = {"type": "actions", "elements": [button]}
    assert block_kit_limits.check_message({"blocks": [actions]}) == []
    long_button = button | {"action_id": "a" * 256, "value": "v" * 2001}
    problems = block_kit_limits.check_message({"blocks": [actions | {"elements": [long_button]}]})
    assert problems == [
        "blocks[0].elements[0]: action_id is 256 chars (max 255)",
        "blocks[0].elements[0]: button value is 2001 chars (max 2000)",
    ]


def test_rate_limited_call_is_retried(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", status=429, retry_after=0)
    client = WebClient(base_url=fake.base_url, token="xoxb-test", retry_handlers=[RateLimitErrorRetryHandler()])
    assert client.chat_postMessage(channel="C1", text="retry me")["ok"]
    assert [c.status for c in fake.rejected_to("chat.postMessage")] == [429]
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_429_carries_retry_after(fake: FakeSlack) -> None:
    fake.fail("auth.test")
    status, headers, body = post(fake, "auth.test", {})
    assert (status, headers["Retry-After"], body) == (429, "1", {"ok": False, "error": "ratelimited"})
    assert post(fake, "auth.test", {})[0] == 200  # times=1


def test_a_request_cut_off_by_its_client_is_not_a_call(fake: FakeSlack) -> None:
    with socket.create_connection(("127.0.0.1", fake.port), timeout=5) as raw:
        raw.sendall(
            b"POST /api/conversations.open HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer xoxb-test\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 40\r\n\r\nusers=U0"
        )
        raw.shutdown(socket.SHUT_WR)  # the process stopped before the rest of the body
        assert raw.recv(100) == b""
    assert post(fake, "auth.test", {})[0] == 200  # the fake is still serving
    assert fake.violations == [] and [c.method for c in fake.calls] == ["auth.test"]


def test_a_failure_can_wait_for_calls_that_go_through_first(fake: FakeSlack) -> None:
    fake.fail("auth.test", status=500, after=2)
    assert [post(fake, "auth.test", {})[0] for _ in range(4)] == [200, 200, 500, 200]


def test_server_errors_are_retried(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", status=500, times=2)
    fast = FixedValueRetryIntervalCalculator(fixed_internal=0.01)
    handler = ServerErrorRetryHandler(max_retry_count=2, interval_calculator=fast)
    client = WebClient(base_url=fake.base_url, token="xoxb-test", retry_handlers=[handler])
    assert client.chat_postMessage(channel="C1", text="eventually")["ok"]
    assert [c.status for c in fake.rejected] == [500, 500]
    assert len(fake.calls) == 1


def test_rate_limiter(fake: FakeSlack) -> None:
    fake.rate_limit("chat.postMessage", per_second=1)
    assert post(fake, "chat.postMessage", {"channel": "C1", "text": "1"})[0] == 200
    status, headers, _ = post(fake, "chat.postMessage", {"channel": "C1", "text": "2"})
    assert status == 429 and int(headers["Retry-After"]) >= 1
    assert post(fake, "auth.test", {})[0] == 200  # other methods are not limited
    fake.rate_limit("chat.postMessage", None)
    assert post(fake, "chat.postMessage", {"channel": "C1", "text": "3"})[0] == 200


def test_the_rate_limiter_can_run_on_the_tests_clock() -> None:
    now = [100.0]
    with FakeSlack(monotonic=lambda: now[0]) as fake:
        fake.rate_limit("users.lookupByEmail", per_second=50 / 60)  # Slack's Tier 3: 50 a minute
        fake.users_by_email = {"kari@leka.example.no": "U0KARI"}
        form = {"email": "kari@leka.example.no"}
        assert post(fake, "users.lookupByEmail", form)[0] == 200
        status, headers, _ = post(fake, "users.lookupByEmail", form)
        assert status == 429 and headers["Retry-After"] == "2"  # 1.2 s, in whole seconds
        now[0] += 1.2
        assert post(fake, "users.lookupByEmail", form)[0] == 200
    assert [call.at for call in fake.calls] == [100.0, 101.2]


def test_a_stalled_call_times_out_at_the_client(fake: FakeSlack) -> None:
    fake.stall("users.lookupByEmail", seconds=5)
    fake.users_by_email = {"kari@leka.example.no": "U0KARI"}
    client = WebClient(base_url=fake.base_url, token="xoxb-test", timeout=0.2)  # type: ignore[arg-type]
    with pytest.raises(TimeoutError):
        client.users_lookupByEmail(email="kari@leka.example.no")
    assert [call.status for call in fake.rejected] == [0] and fake.calls == []
    assert client.users_lookupByEmail(email="kari@leka.example.no")["user"]["id"] == "U0KARI"  # times=1


def test_a_stall_after_some_calls_lets_those_through_first(fake: FakeSlack) -> None:
    fake.stall("users.lookupByEmail", seconds=5, after=2)
    fake.users_by_email = {"kari@leka.example.no": "U0KARI"}
    client = WebClient(base_url=fake.base_url, token="xoxb-test", timeout=0.2)  # type: ignore[arg-type]
    for _ in range(2):
        assert client.users_lookupByEmail(email="kari@leka.example.no")["ok"]
    with pytest.raises(TimeoutError):
        client.users_lookupByEmail(email="kari@leka.example.no")
    assert len(fake.calls) == 2 and [call.status for call in fake.rejected] == [0]
    with pytest.raises(ValueError, match="after at least 0"):
        fake.stall("users.lookupByEmail", seconds=5, after=-1)


def test_wait_for_sees_calls_from_other_threads(fake: FakeSlack, client: WebClient) -> None:
    threading.Timer(0.1, lambda: client.chat_postMessage(channel="C9", text="later")).start()
    calls = fake.wait_for("chat.postMessage", predicate=lambda c: c.args["channel"] == "C9")
    assert calls[0].args["text"] == "later"
    with pytest.raises(AssertionError, match=r"calls so far:\n  chat.postMessage"):
        fake.wait_for("chat.postMessage", count=2, timeout=0.2)
    fake.reset()
    assert fake.calls == [] and fake.violations == []


def test_expired_trigger_id(fake: FakeSlack, client: WebClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web_responses, "TRIGGER_ID_LIFETIME", -1.0)  # expired the moment it is handed out
    trigger_id = fake.new_trigger_id()
    with pytest.raises(SlackApiError) as error:
        client.views_open(trigger_id=trigger_id, view=MODAL)
    assert error.value.response["error"] == "expired_trigger_id"


def test_files_upload_v2(fake: FakeSlack, client: WebClient) -> None:
    result = client.files_upload_v2(content="frist,dato\n", filename="frister.csv", channel="C1", title="Frister")
    assert result["file"]["title"] == "Frister" and result["file"]["size"] == 11
    methods = [c.method for c in fake.calls]
    assert methods == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    fake.assert_no_violations()


def test_response_url_posts_are_recorded(fake: FakeSlack) -> None:
    url = fake.new_response_url()
    assert WebhookClient(url).send(text="Mottatt", response_type="ephemeral").status_code == 200
    (call,) = fake.wait_for("response_url")
    assert call.args == {"text": "Mottatt", "response_type": "ephemeral", "response_url": url}


def test_stop_leaves_no_threads() -> None:
    with FakeSlack() as fake:
        WebClient(base_url=fake.base_url, token="xoxb-test").auth_test()

    def left() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t.name.startswith("fake-slack")]

    wait_until(lambda: not left(), 5, lambda: f"threads {left()} still running")


def test_an_upload_keeps_its_bytes_and_where_it_was_shared(fake: FakeSlack, client: WebClient) -> None:
    data = bytes(range(256)) * 10
    client.files_upload_v2(file=data, filename="eksport.xlsx", channel="C1", title="Eksport", initial_comment="Her")
    (upload,) = fake.uploaded_files()
    assert (upload["name"], upload["title"], upload["channel_id"], upload["initial_comment"]) == (
        "eksport.xlsx",
        "Eksport",
        "C1",
        "Her",
    )
    assert upload["data"] == data
    fake.assert_no_violations()


def test_an_upload_url_takes_only_the_announced_length_by_post(fake: FakeSlack, client: WebClient) -> None:
    answer = client.files_getUploadURLExternal(filename="a.xlsx", length=3)
    url = answer["upload_url"]
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(urllib.request.Request(url, data=b"four", method="POST"))
    assert error.value.code == 400
    assert urllib.request.urlopen(urllib.request.Request(url, data=b"abc", method="POST")).status == 200
    assert fake.violations == [f"upload: 4 bytes for {answer['file_id']}, announced 3 (`length`)"]
    with pytest.raises(SlackApiError) as refused:
        client.files_completeUploadExternal(files=[{"id": "F0NOSUCH"}])
    assert refused.value.response["error"] == "file_not_found"


def test_the_upload_url_can_be_made_to_fail(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("upload", status=500)
    with pytest.raises(urllib.error.HTTPError) as error:
        client.files_upload_v2(content="x", filename="a.csv", channel="C1")
    assert error.value.code == 500 and fake.rejected_to("upload")[0].status == 500
    assert fake.calls_to("files.completeUploadExternal") == [] and fake.uploaded_files() == []
