-- Custom data fields as Odoo custom fields (mappings 9 and 10): matter data-collection fields
-- on crm.lead, participant-type data fields on res.partner. Name x_ + the field name in snake
-- case, label kept, type through the shared seed field_types (source_system actionstep).
-- Fields of a multiple-record collection hold one line per record, so they are text.
-- The same name in several collections / participant types is one field. A name Captorra
-- already gives a crm.lead field of another type is prefixed x_actionstep_ instead.
-- Selection options are the values the firm actually stored (Actionstep's API has no list).
with matter_fields as (
    select
        'crm.lead' as model,
        fields.name,
        fields.label,
        fields.data_type,
        collections.is_multiple,
        fields.field_id,
        fields.form_order
    from {{ ref('stg_actionstep__data_collection_fields') }} as fields
    left join {{ ref('stg_actionstep__data_collections') }} as collections
        on fields.data_collection_id = collections.data_collection_id
),

participant_fields as (
    select
        'res.partner',
        name,
        label,
        data_type,
        false,
        field_id,
        form_order
    from {{ ref('stg_actionstep__participant_type_fields') }}
),

all_fields as (
    select * from matter_fields
    union all
    select * from participant_fields
),

types as (
    select * from {{ ref('field_types') }}
    where source_system = 'actionstep'
),

typed as (
    select
        all_fields.*,
        {{ camel_field_name('all_fields.name') }} as base_name,
        case when all_fields.is_multiple then 'text' else types.ttype end as ttype
    from all_fields
    left join types
        on all_fields.data_type = types.source_type
),

fields as (
    select
        model,
        base_name,
        min(label) as label,
        min(ttype) as ttype,
        min(data_type) as source_type,
        list(field_id order by field_id) as field_ids,
        bool_or(is_multiple) as is_multiple,
        min(form_order) as form_order
    from typed
    group by model, base_name
),

captorra as (
    select
        odoo_name,
        ttype
    from {{ ref('int_captorra__custom_fields') }}
),

named as (
    select
        fields.*,
        case
            when fields.model = 'crm.lead' and captorra.odoo_name is not null
                and (captorra.ttype is distinct from fields.ttype or fields.ttype = 'selection')
                then 'x_actionstep_' || substr(fields.base_name, 3)
            else fields.base_name
        end as odoo_name,
        fields.model = 'crm.lead' and captorra.odoo_name is not null
        and captorra.ttype = fields.ttype and fields.ttype <> 'selection' as is_shared_with_captorra
    from fields
    left join captorra
        on fields.base_name = captorra.odoo_name
),

matter_options as (
    select
        fields.field_id,
        values.value_text
    from {{ ref('stg_actionstep__data_collection_values') }} as values
    inner join {{ ref('stg_actionstep__data_collection_fields') }} as fields
        on values.field_id = fields.field_id
    where fields.data_type = 'DropDown' and nullif(trim(values.value_text), '') is not null
),

participant_options as (
    select
        fields.field_id,
        values.value_text
    from {{ ref('stg_actionstep__participant_field_values') }} as values
    inner join {{ ref('stg_actionstep__participant_type_fields') }} as fields
        on values.field_id = fields.field_id
    where fields.data_type = 'DropDown' and nullif(trim(values.value_text), '') is not null
),

options as (
    select
        named.model,
        named.odoo_name,
        list(distinct trim(observed.value_text) order by trim(observed.value_text)) as options
    from named
    inner join (
        select * from matter_options
        union all
        select * from participant_options
    ) as observed
        on list_contains(named.field_ids, observed.field_id)
    where named.ttype = 'selection'
    group by named.model, named.odoo_name
)

select
    named.model,
    named.odoo_name,
    named.label,
    named.ttype,
    named.source_type,
    named.field_ids,
    named.is_multiple,
    named.is_shared_with_captorra,
    named.form_order,
    options.options
from named
left join options
    on named.model = options.model and named.odoo_name = options.odoo_name
