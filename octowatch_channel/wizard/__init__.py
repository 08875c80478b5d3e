from . import octowatch_commission_settle
from . import octowatch_price_floor_approve
