from . import octowatch_channel_request_reject
from . import octowatch_price_floor_approve
