"""The in-memory workspace behind FakeSlack and the answers it gives to Web API methods.

Answers follow the shapes on docs.slack.dev, trimmed to the fields a bot plausibly reads.
Methods without a handler here answer ``{"ok": true}``.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

TRIGGER_ID_LIFETIME = 3.0  # seconds Slack accepts a trigger_id for views.open/push


def _is_true(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True")


class SlackWorkspace:
    team_id = "T0FAKE0001"
    team_domain = "frist-test"
    app_id = "A0FAKE0001"
    bot_user_id = "U0FAKEBOT1"
    bot_id = "B0FAKEBOT1"

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.http_root = ""  # set by FakeSlack once its port is known
        self.open_socket_url: Callable[[], str] = lambda: ""
        self.users_by_email: dict[str, str] = {}
        self.users: dict[str, dict] = {}  # extra fields merged into users.info / lookupByEmail answers
        self.messages: dict[tuple[str, str], dict] = {}
        self.views: dict[str, dict] = {}
        self.dm_channels: dict[str, str] = {}
        self.uploads: dict[str, dict] = {}
        self.completed_uploads: list[dict] = []
        self.trigger_ids: dict[str, float] = {}
        self._ids = itertools.count(1)
        self._last_ts_us = 0

    # --- ids and helpers -------------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08X}"

    def new_ts(self) -> str:
        with self.lock:
            self._last_ts_us = max(int(time.time() * 1_000_000), self._last_ts_us + 1)
            return f"{self._last_ts_us // 1_000_000}.{self._last_ts_us % 1_000_000:06d}"

    def new_trigger_id(self) -> str:
        trigger_id = f"{next(self._ids)}.{self.team_id[1:]}.{hashlib.md5(str(time.time()).encode()).hexdigest()}"
        self.trigger_ids[trigger_id] = time.monotonic()
        return trigger_id

    def dm_channel(self, users: str) -> tuple[str, bool]:
        key = ",".join(sorted(u.strip() for u in users.split(",") if u.strip()))
        if key in self.dm_channels:
            return self.dm_channels[key], True
        self.dm_channels[key] = self.new_id("D" if "," not in key else "G")
        return self.dm_channels[key], False

    def resolve_channel(self, channel: str) -> str:
        """Posting to a user ID posts into the app's DM with that user (as Slack does)."""
        return self.dm_channel(channel)[0] if channel[:1] in ("U", "W") else channel

    def user(self, user_id: str) -> dict | None:
        emails = {uid: email for email, uid in self.users_by_email.items()}
        if user_id not in emails and user_id not in self.users and user_id != self.bot_user_id:
            return None
        email = emails.get(user_id, "")
        name = email.split("@")[0] if email else user_id.lower()
        extra = self.users.get(user_id, {})
        profile = {"email": email, "real_name": name, "display_name": name, "team": self.team_id}
        profile.update(extra.get("profile", {}))
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": False,
            "real_name": profile["real_name"],
            "tz": "Europe/Oslo",
            "tz_label": "Central European Time",
            "tz_offset": 3600,
            "is_admin": False,
            "is_bot": user_id == self.bot_user_id,
            "updated": 1_700_000_000,
        }
        user.update({k: v for k, v in extra.items() if k != "profile"})
        user["profile"] = profile
        return user

    def _message(self, args: dict, ts: str) -> dict:
        message = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "text": args.get("text", ""),
            "ts": ts,
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if key in args:
                message[key] = args[key]
        return message

    # --- answers ---------------------------------------------------------------------------
    def answer(self, method: str, args: dict, token: str | None) -> dict:
        handler = ANSWERS.get(method)
        with self.lock:
            return handler(self, args, token) if handler else {"ok": True}

    def auth_test(self, args: dict, token: str | None) -> dict:
        return {
            "ok": True,
            "url": f"https://{self.team_domain}.slack.com/",
            "team": "Frist Test",
            "user": "frist",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def chat_post_message(self, args: dict, token: str | None) -> dict:
        channel, ts = self.resolve_channel(args["channel"]), self.new_ts()
        message = self._message(args, ts)
        self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def chat_update(self, args: dict, token: str | None) -> dict:
        key = (args["channel"], args["ts"])
        if key not in self.messages:
            return {"ok": False, "error": "message_not_found"}
        message = self.messages[key]
        message.update({k: v for k, v in args.items() if k in ("text", "blocks", "attachments", "metadata")})
        message["edited"] = {"user": self.bot_user_id, "ts": self.new_ts()}
        return {"ok": True, "channel": key[0], "ts": key[1], "text": message["text"], "message": message}

    def chat_delete(self, args: dict, token: str | None) -> dict:
        if self.messages.pop((args.get("channel", ""), args.get("ts", "")), None) is None:
            return {"ok": False, "error": "message_not_found"}
        return {"ok": True, "channel": args["channel"], "ts": args["ts"]}

    def chat_post_ephemeral(self, args: dict, token: str | None) -> dict:
        return {"ok": True, "message_ts": self.new_ts()}

    def conversations_open(self, args: dict, token: str | None) -> dict:
        if args.get("channel"):
            return {"ok": True, "channel": {"id": args["channel"]}}
        users = args["users"] if isinstance(args["users"], str) else ",".join(args["users"])
        channel_id, existed = self.dm_channel(users)
        channel: dict = {"id": channel_id}
        if _is_true(args.get("return_im")):
            channel.update({"is_im": "," not in users, "user": users.split(",")[0], "created": 1_700_000_000})
        answer = {"ok": True, "channel": channel}
        return answer | ({"no_op": True, "already_open": True} if existed else {})

    def _store_view(self, view: dict, view_id: str, previous: dict | None = None) -> dict:
        stored = {
            "callback_id": "",
            "private_metadata": "",
            "external_id": "",
            "clear_on_close": False,
            "notify_on_close": False,
            **view,
            "id": view_id,
            "team_id": self.team_id,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
            "app_installed_team_id": self.team_id,
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{self.new_id('')}",
            "root_view_id": (previous or {}).get("root_view_id", view_id),
            "previous_view_id": None,
        }
        self.views[view_id] = stored
        return {"ok": True, "view": stored}

    def views_open(self, args: dict, token: str | None) -> dict:
        issued = self.trigger_ids.get(args.get("trigger_id", ""))
        if issued is not None and time.monotonic() - issued > TRIGGER_ID_LIFETIME:
            return {"ok": False, "error": "expired_trigger_id"}
        return self._store_view(args["view"], self.new_id("V"))

    def views_update(self, args: dict, token: str | None) -> dict:
        view_id = args.get("view_id") or next(
            (vid for vid, v in self.views.items() if v["external_id"] == args.get("external_id")), None
        )
        if view_id not in self.views:
            return {"ok": False, "error": "not_found"}
        if args.get("hash") and args["hash"] != self.views[view_id]["hash"]:
            return {"ok": False, "error": "hash_conflict"}
        return self._store_view(args["view"], view_id, self.views[view_id])

    def views_publish(self, args: dict, token: str | None) -> dict:
        view_id = f"V{hashlib.sha1(args['user_id'].encode()).hexdigest()[:10].upper()}"
        previous = self.views.get(view_id)
        if previous and args.get("hash") and args["hash"] != previous["hash"]:
            return {"ok": False, "error": "hash_conflict"}
        return self._store_view(args["view"], view_id, previous)

    def users_lookup_by_email(self, args: dict, token: str | None) -> dict:
        user_id = self.users_by_email.get(args["email"])
        if user_id is None:
            return {"ok": False, "error": "users_not_found"}
        return {"ok": True, "user": self.user(user_id)}

    def users_info(self, args: dict, token: str | None) -> dict:
        user = self.user(args["user"])
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user | ({"locale": "nb-NO"} if _is_true(args.get("include_locale")) else {})}

    def files_get_upload_url(self, args: dict, token: str | None) -> dict:
        file_id = self.new_id("F")
        self.uploads[file_id] = {"name": args["filename"], "length": int(args["length"]), "data": None}
        return {"ok": True, "upload_url": f"{self.http_root}/upload/v1/{file_id}", "file_id": file_id}

    def files_complete_upload(self, args: dict, token: str | None) -> dict:
        files = args["files"]
        if not isinstance(files, list) or not files or not all(isinstance(f, dict) for f in files):
            return {"ok": False, "error": "invalid_arguments"}
        done = []
        for item in files:
            upload = self.uploads.get(item.get("id", ""))
            if upload is None or upload["data"] is None:
                return {"ok": False, "error": "file_not_found"}
            title = item.get("title") or upload["name"]
            done.append({"id": item["id"], "name": upload["name"], "title": title, "size": len(upload["data"])})
        for item, file in zip(files, done, strict=True):
            extra = {name: args.get(name) for name in ("channel_id", "initial_comment", "thread_ts")}
            self.completed_uploads.append(file | extra | {"data": self.uploads[item["id"]]["data"]})
        return {"ok": True, "files": done}

    def apps_connections_open(self, args: dict, token: str | None) -> dict:
        return {"ok": True, "url": self.open_socket_url()}


ANSWERS: dict[str, Callable[[SlackWorkspace, dict, str | None], dict]] = {
    "auth.test": SlackWorkspace.auth_test,
    "chat.postMessage": SlackWorkspace.chat_post_message,
    "chat.update": SlackWorkspace.chat_update,
    "chat.delete": SlackWorkspace.chat_delete,
    "chat.postEphemeral": SlackWorkspace.chat_post_ephemeral,
    "conversations.open": SlackWorkspace.conversations_open,
    "views.open": SlackWorkspace.views_open,
    "views.push": SlackWorkspace.views_open,
    "views.update": SlackWorkspace.views_update,
    "views.publish": SlackWorkspace.views_publish,
    "users.lookupByEmail": SlackWorkspace.users_lookup_by_email,
    "users.info": SlackWorkspace.users_info,
    "files.getUploadURLExternal": SlackWorkspace.files_get_upload_url,
    "files.completeUploadExternal": SlackWorkspace.files_complete_upload,
    "apps.connections.open": SlackWorkspace.apps_connections_open,
}
