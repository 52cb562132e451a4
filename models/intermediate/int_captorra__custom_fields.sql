-- The registry's custom intake fields as crm.lead custom fields: technical name x_<field>,
-- Odoo type through the shared seed field_types, picklist options as a list.
with fields as (
    select * from {{ ref('stg_captorra__fields') }}
),

types as (
    select * from {{ ref('field_types') }}
    where source_system = 'captorra'
)

select
    fields.field_name,
    {{ odoo_field_name('fields.field_name') }} as odoo_name,
    fields.label,
    fields.source_type,
    types.ttype,
    case
        when fields.options is not null
            then list_filter(list_transform(string_split(fields.options, '|'), lambda o: trim(o)), lambda o: o <> '')
    end as options,
    fields.is_required,
    fields.is_in_export
from fields
left join types
    on fields.source_type = types.source_type
