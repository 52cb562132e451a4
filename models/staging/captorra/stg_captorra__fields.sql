-- The custom intake field registry of the newest export run, with whether the export
-- actually carried a column for the field (raw/captorra/columns kind = custom).
with latest as (
    select * from {{ latest_run(source('captorra', 'fields')) }}
),

exported as (
    select distinct column_name
    from {{ source('captorra', 'columns') }}
    where dataset = 'leads' and kind = 'custom'
)

select
    trim(latest.field_name) as field_name,
    trim(latest.label) as label,
    lower(trim(latest.type)) as source_type,
    {{ blank_to_null('latest.options') }} as options,
    coalesce(lower(trim(latest.required)) = 'true', false) as is_required,
    exported.column_name is not null as is_in_export
from latest
left join exported
    on trim(latest.field_name) = exported.column_name
