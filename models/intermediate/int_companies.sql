-- One company per normalised name across sources ('Acme Holdings, L.L.C.' = 'ACME HOLDINGS llc'
-- = 'Acme Holdings'). Its display name is the spelling used most often, the latest seen on a tie.
-- Its lineage names every source row merged into it (never a per-column min() that mixes
-- systems): source_system and source_model list the distinct ones, source_id every row as
-- system/model/id, sorted, comma-separated.
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
        max(modified_at) as last_seen
    from sightings
    group by company_xmlid, company_key, spelling
),

lineage as (
    select
        company_xmlid,
        string_agg(distinct source_system, ',' order by source_system) as source_system,
        string_agg(distinct source_model, ',' order by source_model) as source_model,
        string_agg(
            distinct source_system || '/' || source_model || '/' || source_id, ','
            order by source_system || '/' || source_model || '/' || source_id
        ) as source_id,
        count(distinct source_system || '/' || source_model || '/' || source_id) as merged_rows
    from sightings
    group by company_xmlid
),

ranked as (
    select
        *,
        sum(uses) over (partition by company_xmlid) as sightings,
        count(*) over (partition by company_xmlid) as spelling_count,
        row_number() over (
            partition by company_xmlid order by uses desc, last_seen desc, spelling asc
        ) as preference
    from spellings
)

select
    ranked.company_xmlid,
    ranked.company_key,
    ranked.spelling as name,
    ranked.sightings,
    ranked.spelling_count,
    lineage.source_system,
    lineage.source_model,
    lineage.source_id,
    lineage.merged_rows
from ranked
inner join lineage
    on ranked.company_xmlid = lineage.company_xmlid
where ranked.preference = 1
