-- Every sample campaign reaches someone, and no more than its definition allows: win-back is part of the top
-- fifth by earlier value, VIP part of the top tenth, lookalike acquisition at most 500 and customers / 20.
select campaign, members, audience_share
from {{ ref('campaign_audience_sizes') }}
where members = 0
   or (campaign = 'winback_at_risk_high_value' and audience_share > 0.2)
   or (campaign = 'vip_early_access' and audience_share > 0.1)
   or (campaign = 'lookalike_acquisition' and (members > 500 or audience_share > 0.05))
