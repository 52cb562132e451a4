-- Captorra leads with every link resolved: team and stage from the seed `captorra_stages`,
-- owner by email (else the fallback owner), contact partner by normalised email.
-- An unknown status is a review reason, never a silent default stage.
with leads as (
    select * from {{ ref('stg_captorra__leads') }}
),

stages as (
    select * from {{ ref('captorra_stages') }}
),

owners as (
    select * from {{ ref('int_odoo__owners') }}
)

select
    leads.*,
    stages.stage_name,
    stages.probability,
    stages.is_won,
    {{ external_id("'captorra_team'", 'leads.pipeline') }} as team_xmlid,
    {{ external_id("'captorra_stage'", "leads.pipeline || '_' || stages.stage_name") }} as stage_xmlid,
    coalesce(owners.user_id, {{ fallback_owner_id() }}) as user_id,
    owners.user_id is null as owner_is_fallback,
    case
        when leads.email is not null then {{ partner_external_id('leads.email') }}
        else {{ external_id("'captorra_contact'", 'leads.lead_id') }}
    end as partner_xmlid,
    case when stages.status is null then 'unknown_status' end as review_reason
from leads
left join stages
    on leads.pipeline = stages.pipeline and leads.status = stages.status
left join owners
    on leads.owner_email = owners.email
