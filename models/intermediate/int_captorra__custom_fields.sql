-- Custom intake fields on crm.lead: the registry's fields (technical name x_<field>, Odoo type
-- through the shared seed field_types, picklist options as a list), then every export column
-- not in the column map as a proposed field x_<column> labelled by its header, its type
-- inferred from the values (boolean, integer, number, date, datetime, picklist when a few
-- values repeat, memo when long or multi-line, else text), and the columns the seed maps onto
-- an existing crm.lead field (is_existing: not created, typed from the values the same way).
-- A registry field is in the export when some extract run recorded a lead column for it
-- (stg_captorra__columns, kind custom).
with fields as (
    select * from {{ ref('stg_captorra__fields') }}
),

exported_registry_columns as (
    select distinct column_name
    from {{ ref('stg_captorra__columns') }}
    where dataset = 'leads' and kind = 'custom'
),

types as (
    select * from {{ ref('field_types') }}
    where source_system = 'captorra'
),

export_columns as (
    select * from {{ ref('stg_captorra__export_columns') }}
),

exported_values as (
    select
        field_name,
        value_text
    from {{ ref('stg_captorra__lead_custom_values') }}
    where field_name in (select column_name from export_columns)
),

profiles as (
    select
        field_name,
        count(*) as n_values,
        count(distinct value_text) as n_distinct,
        max(length(value_text)) as longest,
        bool_or(contains(value_text, chr(10)) or contains(value_text, '|')) as has_separator,
        bool_and(lower(value_text) in ('yes', 'no', 'y', 'n', 'true', 'false')) as all_boolean,
        bool_and(try_cast(replace(value_text, ',', '') as bigint) is not null) as all_integer,
        bool_or(regexp_matches(value_text, '^0[0-9]')) as has_leading_zero,  -- zip codes, ids
        bool_and({{ parse_number('value_text') }} is not null) as all_number,
        bool_and(try_strptime(value_text, ['%m/%d/%Y', '%Y-%m-%d']) is not null) as all_date,
        bool_and({{ captorra_timestamp('value_text') }} is not null) as all_datetime,
        list(distinct value_text order by value_text) as distinct_values
    from exported_values
    group by field_name
),

inferred as (
    select
        export_columns.column_name as field_name,
        export_columns.header as label,
        export_columns.kind,
        export_columns.target_field,
        case
            when export_columns.kind = 'mapped' then 'text'  -- Odoo converts text on import
            when profiles.field_name is null then 'text'
            when profiles.all_boolean then 'boolean'
            when profiles.all_integer and not profiles.has_leading_zero then 'integer'
            when profiles.all_number and not profiles.has_leading_zero then 'number'
            when profiles.all_date then 'date'
            when profiles.all_datetime then 'datetime'
            when profiles.longest > 255 or profiles.has_separator then 'memo'
            when profiles.n_distinct <= 10 and profiles.n_distinct < profiles.n_values
                and profiles.longest <= 60 then 'picklist'
            else 'text'
        end as source_type,
        profiles.distinct_values
    from export_columns
    left join profiles
        on export_columns.column_name = profiles.field_name
),

registry as (
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
        exported_registry_columns.column_name is not null as is_in_export,
        false as is_existing,
        'registry' as origin
    from fields
    left join types
        on fields.source_type = types.source_type
    left join exported_registry_columns
        on fields.field_name = exported_registry_columns.column_name
),

from_export as (
    select
        inferred.field_name,
        case
            when inferred.kind = 'mapped' then inferred.target_field
            -- never the name of a registry field or of a fixed migration field
            when {{ odoo_field_name('inferred.field_name') }} in (select odoo_name from registry)
                or {{ odoo_field_name('inferred.field_name') }} in (
                    'x_captorra_id', 'x_matter_ref', 'x_original_created', 'x_original_modified',
                    'x_referral_partner_id'
                )
                then {{ odoo_field_name("inferred.field_name || '_column'") }}
            else {{ odoo_field_name('inferred.field_name') }}
        end as odoo_name,
        inferred.label,
        inferred.source_type,
        types.ttype,
        case when inferred.source_type = 'picklist' then inferred.distinct_values end as options,
        false as is_required,
        true as is_in_export,
        inferred.kind = 'mapped' as is_existing,
        'export' as origin
    from inferred
    left join types
        on inferred.source_type = types.source_type
)

select * from registry
union all
select * from from_export
