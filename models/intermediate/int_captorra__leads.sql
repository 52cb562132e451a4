-- Captorra leads with every link resolved: team and stage from int_captorra__stages (the seed
-- `captorra_stages`, plus the statuses it does not list unless var unknown_status = hold),
-- owner by email (else the fallback owner), contact partner by normalised email.
-- A status without a stage is a review reason, never a silent default stage. A lost status
-- (declined, rejected, referred out: is_lost) makes a lost lead: archived, probability 0, the lost
-- reason named after its stage. The company is keyed by
-- its normalised name; the referrer is the referring attorney, else the firm, else the channel.
with leads as (
    select
        *,
        {{ normalise_company_name('company') }} as company_key,
        coalesce(referring_attorney, referring_firm, referral_source) as referrer_name
    from {{ ref('stg_captorra__leads') }}
),

stages as (
    select * from {{ ref('int_captorra__stages') }}
),

owners as (
    select * from {{ ref('int_odoo__owners') }}
)

select
    leads.*,
    stages.stage_name,
    case when stages.is_lost then 0 else stages.probability end as probability,
    stages.is_won,
    coalesce(stages.is_lost, false) as is_lost,
    case when stages.is_lost then {{ lost_reason_external_id('stages.stage_name') }} end
        as lost_reason_xmlid,
    stages.fold as is_closed_stage,
    case
        when leads.company_key is not null then {{ company_external_id('leads.company_key') }}
    end as company_xmlid,
    case
        when leads.referrer_name is not null
            then {{ referrer_external_id("lower(regexp_replace(trim(leads.referrer_name), '[[:space:]]+', ' ', 'g'))") }}
    end as referrer_xmlid,
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
