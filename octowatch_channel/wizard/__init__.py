from . import octowatch_channel_request_reject
