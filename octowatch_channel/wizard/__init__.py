from . import octowatch_channel_request_plan
from . import octowatch_channel_request_reject
from . import octowatch_commission_settle
from . import octowatch_deal_extend
from . import octowatch_deal_lose
from . import octowatch_deal_register
from . import octowatch_partner_attribute
from . import octowatch_price_floor_approve
