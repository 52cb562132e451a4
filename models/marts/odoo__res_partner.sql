-- Partners to create: companies (consolidated by normalised name, pass 0), referral sources
-- (var referral_mode = partner: type other, tag Referral Source, pass 0) and people (one per
-- person after email dedup across sources, pass 1, parent = their company), except people the
-- target Odoo already has, which odoo__ir_model_data adopts instead of duplicating.
with people as (
    select * from {{ ref('int_partners_deduplicated_by_email') }}
    where existing_odoo_id is null
),

companies as (
    select * from {{ ref('int_companies') }}
),

referrers as (
    select * from {{ ref('int_captorra__referrers') }}
    where '{{ var("referral_mode") }}' = 'partner'
),

partners as (
    select
        company_xmlid as id,
        name,
        cast(null as varchar) as email,
        cast(null as varchar) as phone,
        cast(null as varchar) as mobile,
        cast(null as varchar) as street,
        cast(null as varchar) as city,
        cast(null as varchar) as zip,
        cast(null as varchar) as country_xmlid,
        true as is_company,
        'contact' as partner_type,
        cast(null as varchar) as parent_xmlid,
        cast(null as varchar) as category_xmlids,
        source_system,
        source_model,
        source_id,
        0 as load_pass
    from companies

    union all

    select
        referrer_xmlid as id,
        name,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        'other',
        null,
        'legal2odoo.partner_category_referral_source',
        'captorra',
        'referrer',
        source_id,
        0
    from referrers

    union all

    select
        partner_xmlid as id,
        name,
        email,
        phone,
        mobile,
        street,
        city,
        zip,
        'base.us',
        false,
        'contact',
        company_xmlid,
        null,
        source_system,
        source_model,
        source_id,
        1
    from people
),

final as (
    select
        id,
        name,
        email,
        phone,
        mobile,
        street,
        city,
        zip,
        country_xmlid as "country_id/id",
        is_company,
        partner_type as type,
        parent_xmlid as "parent_id/id",
        category_xmlids as "category_id/id",
        source_system as _source_system,
        source_model as _source_model,
        source_id as _source_id,
        load_pass as _load_pass
    from partners
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
