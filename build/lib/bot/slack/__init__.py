"""The Slack adapter: the only package that knows slack_bolt, slack_sdk and Block Kit."""
