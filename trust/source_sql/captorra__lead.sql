-- Captorra leads straight from the export's raw Parquet: the newest version of each lead,
-- its stage by the stage map (seed), lost statuses (probability 0, folded, not won) archived.
with raw as (
    select * from {raw:captorra/leads}
),

latest as (
    select *
    from raw
    qualify row_number() over (
        partition by trim(lead_id)
        order by {captorra_time:modified_at} desc nulls last, _run_id desc
    ) = 1
),

stage_map as (
    select * from {seed:captorra_stages}
)

select
    trim(latest.lead_id) as source_id,
    'legal2odoo.captorra_lead_' || regexp_replace(trim(latest.lead_id), '[^A-Za-z0-9_]', '_', 'g')
        as external_id,
    'lead' as record_type,
    cast(null as varchar) as excluded_rule,
    latest.lead_id,
    latest.matter_ref,
    nullif(trim(concat_ws(' ', trim(latest.first_name), trim(latest.last_name))), '') as contact_name,
    latest.email,
    latest.phone,
    latest.street,
    latest.city,
    latest.zip,
    latest.company,
    latest.notes,
    latest.created_at,
    latest.modified_at,
    trim(latest.pipeline) as pipeline,
    case when stage_map.stage_name is not null then
        'legal2odoo.captorra_stage_' || regexp_replace(
            trim(latest.pipeline) || '_' || stage_map.stage_name, '[^A-Za-z0-9_]', '_', 'g')
    end as stage_xmlid,
    case
        when stage_map.stage_name is null then null
        when lower(stage_map.fold) = 'true' and lower(stage_map.is_won) = 'false'
            and cast(stage_map.probability as double) = 0 then 'false'
        else 'true'
    end as is_active,
    stage_map.probability,
    case when lower(trim(latest.converted)) in ('yes', 'y', 'true', '1') then 'opportunity' else 'lead' end
        as lead_type
from latest
left join stage_map
    on trim(latest.pipeline) = stage_map.pipeline
    and trim(latest.status) = stage_map.status
