-- One referral source per distinct referrer of the leads that load (case and spacing ignored):
-- the referring attorney, else the referring firm, else the marketing channel. Its name is the
-- spelling used most often.
with referrals as (
    select
        referrer_xmlid,
        referrer_name,
        lead_id
    from {{ ref('int_captorra__leads') }}
    where review_reason is null and referrer_xmlid is not null
),

spellings as (
    select
        referrer_xmlid,
        referrer_name,
        count(*) as uses,
        min(lead_id) as first_lead_id
    from referrals
    group by referrer_xmlid, referrer_name
)

select
    referrer_xmlid,
    referrer_name as name,
    sum(uses) over (partition by referrer_xmlid) as leads,
    first_lead_id as source_id
from spellings
qualify row_number() over (partition by referrer_xmlid order by uses desc, referrer_name asc) = 1
