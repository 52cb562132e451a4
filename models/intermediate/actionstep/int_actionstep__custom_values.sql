-- Custom data values typed for their Odoo field: matter values per lead, participant values per
-- partner (a participant value is stored per matter: the one of the latest matter wins; a
-- person's duplicate contact records share the partner). Multiple-record collections give one
-- line per record. Null values are not values. A value that does not fit its field is kept as
-- text with is_valid = false and goes to the review queue.
with fields as (
    select
        model,
        odoo_name,
        ttype,
        options,
        unnest(field_ids) as field_id
    from {{ ref('int_actionstep__custom_fields') }}
),

matter_values as (
    select
        'crm.lead' as model,
        {{ external_id("'actionstep_matter'", 'values.action_id') }} as record_xmlid,
        cast(values.action_id as varchar) as source_id,
        values.field_id,
        values.record_id as ordering,
        trim(values.value_text) as value_text
    from {{ ref('stg_actionstep__data_collection_values') }} as values
    where nullif(trim(values.value_text), '') is not null
),

participants as (
    select
        participant_id,
        partner_xmlid
    from {{ ref('int_actionstep__participants') }}
),

participant_values as (
    select
        'res.partner' as model,
        participants.partner_xmlid as record_xmlid,
        cast(values.participant_id as varchar) as source_id,
        values.field_id,
        values.action_id as ordering,
        trim(values.value_text) as value_text
    from {{ ref('stg_actionstep__participant_field_values') }} as values
    inner join participants
        on values.participant_id = participants.participant_id
    where nullif(trim(values.value_text), '') is not null
),

joined as (
    select
        fields.model,
        fields.odoo_name,
        fields.ttype,
        fields.options,
        observed.record_xmlid,
        observed.source_id,
        observed.ordering,
        observed.value_text
    from (
        select * from matter_values
        union all
        select * from participant_values
    ) as observed
    inner join fields
        on observed.field_id = fields.field_id and observed.model = fields.model
),

collapsed as (
    select
        model,
        odoo_name,
        ttype,
        any_value(options) as options,
        record_xmlid,
        min(source_id) as source_id,
        case
            when ttype = 'text' then string_agg(value_text, chr(10) order by ordering)
            when model = 'res.partner' then arg_max(value_text, ordering)
            else arg_min(value_text, ordering)
        end as value_text
    from joined
    group by model, odoo_name, ttype, record_xmlid
),

typed as (
    select
        *,
        case when ttype = 'float' then {{ parse_number('value_text') }} end as value_float,
        case when ttype = 'integer' then try_cast(value_text as integer) end as value_integer,
        case when ttype = 'date' then try_cast(value_text as date) end as value_date,
        case when ttype = 'datetime' then {{ actionstep_timestamp('value_text') }} end as value_datetime,
        case
            when ttype = 'boolean' then
                case when value_text in ('T', 'true', '1') then true
                    when value_text in ('F', 'false', '0') then false
                end
        end as value_boolean,
        case
            when ttype = 'selection' and list_contains(options, value_text)
                then {{ selection_value('value_text') }}
        end as value_selection
    from collapsed
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
