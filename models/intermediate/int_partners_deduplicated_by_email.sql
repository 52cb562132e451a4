-- One partner per person across sources: the normalised email is the key; a contact without
-- an email is its own partner. Attributes come from the most recently modified sighting;
-- phone and mobile from the newest sighting that has one (a newer sighting without a number
-- does not blank the person's number).
-- The company (parent) is the winning sighting's. A person the target Odoo already has (same email) is reused: existing_odoo_id is set.
with sightings as (
    select
        partner_xmlid,
        email,
        trim(concat_ws(' ', first_name, last_name)) as person_name,
        phone,
        mobile,
        street,
        city,
        zip,
        company_xmlid,
        modified_at,
        'captorra' as source_system,
        'lead' as source_model,
        lead_id as source_id
    from {{ ref('int_captorra__leads') }}

    union all

    select
        partner_xmlid,
        email,
        name,
        case when phone_label is distinct from 'Mobile' then phone end,
        case when phone_label = 'Mobile' then phone end,
        street,
        city,
        zip,
        company_xmlid,
        modified_at,
        'actionstep',
        'participant',
        cast(participant_id as varchar)
    from {{ ref('int_actionstep__participants') }}
    where not is_company or company_key is null
),

ranked as (
    select
        *,
        count(*) over (partition by partner_xmlid) as sightings,
        row_number() over (
            partition by partner_xmlid
            order by modified_at desc nulls last, source_system, source_id
        ) as recency,
        first_value(phone ignore nulls) over newest_first as newest_phone,
        first_value(mobile ignore nulls) over newest_first as newest_mobile
    from sightings
    window newest_first as (
        partition by partner_xmlid
        order by modified_at desc nulls last, source_system, source_id
        rows between unbounded preceding and unbounded following
    )
),

existing as (
    select
        email,
        min(partner_id) as partner_id,
        count(*) as matches
    from {{ ref('stg_odoo__partners') }}
    where email is not null
    group by email
)

select
    ranked.partner_xmlid,
    ranked.email,
    coalesce(nullif(ranked.person_name, ''), ranked.email, 'Contact ' || ranked.source_id) as name,
    ranked.newest_phone as phone,
    ranked.newest_mobile as mobile,
    ranked.street,
    ranked.city,
    ranked.zip,
    ranked.company_xmlid,
    ranked.sightings,
    ranked.source_system,
    ranked.source_model,
    ranked.source_id,
    existing.partner_id as existing_odoo_id,
    coalesce(existing.matches, 0) as existing_odoo_matches
from ranked
left join existing
    on ranked.email = existing.email
where ranked.recency = 1
