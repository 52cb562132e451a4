-- One company per normalised name across sources ('Acme Holdings, L.L.C.' = 'ACME HOLDINGS llc'
-- = 'Acme Holdings'). Its display name is the spelling used most often, the latest seen on a tie.
with sightings as (
    select
        company_xmlid,
        company_key,
        company as spelling,
        modified_at,
        'captorra' as source_system,
        'lead' as source_model,
        lead_id as source_id
    from {{ ref('int_captorra__leads') }}
    where company_xmlid is not null

    union all

    -- Actionstep: company contacts by their name, and the company a person works for.
    select
        coalesce(company_xmlid, partner_xmlid),
        company_key,
        company_display,
        modified_at,
        'actionstep',
        'participant',
        cast(participant_id as varchar)
    from {{ ref('int_actionstep__participants') }}
    where company_key is not null
),

spellings as (
    select
        company_xmlid,
        company_key,
        spelling,
        count(*) as uses,
        max(modified_at) as last_seen,
        min(source_system) as source_system,
        min(source_model) as source_model,
        min(source_id) as source_id
    from sightings
    group by company_xmlid, company_key, spelling
),

ranked as (
    select
        *,
        sum(uses) over (partition by company_xmlid) as sightings,
        count(*) over (partition by company_xmlid) as spelling_count,
        row_number() over (
            partition by company_xmlid order by uses desc, last_seen desc, spelling
        ) as preference
    from spellings
)

select
    company_xmlid,
    company_key,
    spelling as name,
    sightings,
    spelling_count,
    source_system,
    source_model,
    source_id
from ranked
where preference = 1
