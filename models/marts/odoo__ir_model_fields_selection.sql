-- The options of each selection field (ir.model.fields.selection): a Captorra picklist's
-- options in registry order; the stored value is the option in lower snake case.
with options as (
    select
        odoo_name,
        field_name,
        unnest(options) as label,
        unnest(range(1, len(options) + 1)) as sequence
    from {{ ref('int_captorra__custom_fields') }}
    where ttype = 'selection' and options is not null
),

final as (
    select
        {{ external_id("'field_crm_lead'", "odoo_name || '_option_' || " ~ selection_value('label')) }} as id,
        {{ external_id("'field_crm_lead'", 'odoo_name') }} as "field_id/id",
        {{ selection_value('label') }} as value,
        label as name,
        cast(sequence as integer) as sequence,
        'captorra' as _source_system,
        'picklist_option' as _source_model,
        field_name || '/' || label as _source_id
    from options

    union all

    -- Actionstep: x_related_matter_type, and drop-down custom fields with the values the firm used.
    select
        {{ external_id("'field_' || replace(model, '.', '_')", "odoo_name || '_option_' || " ~ selection_value('label')) }} as id,
        {{ external_id("'field_' || replace(model, '.', '_')", 'odoo_name') }} as "field_id/id",
        {{ selection_value('label') }} as value,
        label as name,
        cast(sequence as integer) as sequence,
        'actionstep' as _source_system,
        'option' as _source_model,
        odoo_name || '/' || label as _source_id
    from (
        select
            'crm.lead' as model,
            'x_related_matter_type' as odoo_name,
            unnest(['parent', 'child', 'related']) as label,
            unnest([1, 2, 3]) as sequence

        union all

        select
            model,
            odoo_name,
            unnest(options),
            unnest(range(1, len(options) + 1))
        from {{ ref('int_actionstep__custom_fields') }}
        where ttype = 'selection' and options is not null
    ) as actionstep_options
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
