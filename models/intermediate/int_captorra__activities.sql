-- Engagement activity on its lead: the author is the Odoo user with the sender's email (the
-- loader uses that user's partner), else the contact partner with that email, else none (the
-- sender stays in email_from). Activity of a held lead stays with the lead in review;
-- activity of a lead the export does not have is itself a review entry.
with activities as (
    select * from {{ ref('stg_captorra__activities') }}
),

leads as (
    select
        lead_id,
        review_reason
    from {{ ref('int_captorra__leads') }}
),

owners as (
    select * from {{ ref('int_odoo__owners') }}
),

partners as (
    select
        partner_xmlid,
        email
    from {{ ref('int_partners_deduplicated_by_email') }}
    where email is not null
)

select
    activities.*,
    {{ external_id("'captorra_lead'", 'activities.lead_id') }} as lead_xmlid,
    owners.user_id as author_user_id,
    case when owners.user_id is null then partners.partner_xmlid end as author_partner_xmlid,
    case
        when leads.lead_id is null then 'activity_unknown_lead'
        when leads.review_reason is not null then 'lead_held'
    end as review_reason
from activities
left join leads
    on activities.lead_id = leads.lead_id
left join owners
    on activities.sender_key = owners.email
left join partners
    on activities.sender_key = partners.email
