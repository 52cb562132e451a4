-- Custom intake values typed for their Odoo field: one typed column per kind, the others null.
-- A value that does not fit its field (a picklist value that is not an option, text in a
-- number field) is kept as value_text with is_valid = false and goes to the review queue.
with exported as (
    select * from {{ ref('stg_captorra__lead_custom_values') }}
),

fields as (
    select * from {{ ref('int_captorra__custom_fields') }}
),

typed as (
    select
        exported.lead_id,
        fields.field_name,
        fields.odoo_name,
        fields.ttype,
        exported.value_text,
        case when fields.ttype = 'float' then {{ parse_number('exported.value_text') }} end
            as value_float,
        case when fields.ttype = 'integer' then try_cast({{ parse_number('exported.value_text') }} as integer) end
            as value_integer,
        case when fields.ttype = 'date' then {{ parse_us_or_iso_date('exported.value_text') }} end
            as value_date,
        case when fields.ttype = 'datetime' then {{ captorra_timestamp('exported.value_text') }} end
            as value_datetime,
        case when fields.ttype = 'boolean' then {{ parse_boolean('exported.value_text') }} end
            as value_boolean,
        case
            when fields.ttype = 'selection'
                and list_contains(list_transform(fields.options, lambda o: lower(o)), lower(exported.value_text))
                then {{ selection_value('exported.value_text') }}
        end as value_selection
    from exported
    inner join fields
        on exported.field_name = fields.field_name
)

select
    *,
    case ttype
        when 'float' then value_float is not null
        when 'integer' then value_integer is not null
        when 'date' then value_date is not null
        when 'datetime' then value_datetime is not null
        when 'boolean' then value_boolean is not null
        when 'selection' then value_selection is not null
        else ttype is not null
    end as is_valid
from typed
