-- The custom intake field registry of the newest export run (base_captorra__fields), typed.
-- Whether the export carried a column for a field is int_captorra__custom_fields' join with
-- stg_captorra__columns.
with fields as (
    select * from {{ ref('base_captorra__fields') }}
)

select
    trim(field_name) as field_name,
    trim(label) as label,
    lower(trim(type)) as source_type,
    {{ blank_to_null('options') }} as options,
    coalesce(lower(trim(required)) = 'true', false) as is_required
from fields
