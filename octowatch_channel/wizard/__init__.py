from . import octowatch_price_floor_approve
