-- Custom fields (ir.model.fields) the other marts write, created before any record: the fixed
-- migration fields on crm.lead and one per custom intake field of the registry (type through
-- the seed field_types) or per export column not in the column map (type inferred). Selection options are odoo__ir_model_fields_selection.
-- Then the Actionstep fields: fixed matter fields on crm.lead, trust fields on res.partner,
-- and the matter / participant custom data fields (int_actionstep__custom_fields; a field
-- Captorra already defines with the same type is shared, not defined twice).
-- _form_group: the group of the "Migrated data" form page the field is shown in (load/views.py);
-- the fixed fields both sources fill (matter reference, original dates) are 'Source record'.
with fixed as (
    select * from (
        values
            ('x_captorra_id', 'Captorra ID', 'char', null, true,
             'Lead id in Captorra; the source of the external id.'),
            ('x_matter_ref', 'Matter Reference', 'char', null, false,
             'Matter / case number Captorra gave the lead when it converted.'),
            ('x_original_created', 'Original Created', 'datetime', null, false,
             'When the record was created in the source system (Odoo''s own create date is the load date).'),
            ('x_original_modified', 'Original Last Modified', 'datetime', null, false,
             'When the record was last modified in the source system.'),
            ('x_referral_partner_id', 'Referral Source', 'many2one', 'res.partner', false,
             'Referring attorney, firm or channel (contact tagged Referral Source).')
    ) as t (name, field_description, ttype, relation, is_indexed, help)
),

intake as (
    select
        odoo_name as name,
        label as field_description,
        ttype,
        cast(null as varchar) as relation,
        false as is_indexed,
        case origin
            when 'registry'
                then 'Captorra custom intake field ' || field_name || ' (' || source_type || ').'
            else 'Captorra export column "' || label || '" (' || source_type
                || ', inferred from its values).'
        end as help,
        field_name
    from {{ ref('int_captorra__custom_fields') }}
    where not is_existing
),

all_fields as (
    select *, 'migration' as source_model, name as source_id from fixed
    union all
    select
        name, field_description, ttype, relation, is_indexed, help,
        'registry' as source_model, field_name as source_id
    from intake
),

final as (
    select
        {{ external_id("'field_crm_lead'", 'name') }} as id,
        'crm.model_crm_lead' as "model_id/id",
        name,
        field_description,
        ttype,
        relation,
        is_indexed as index,
        false as required,
        help,
        'captorra' as _source_system,
        source_model as _source_model,
        source_id as _source_id,
        case source_model when 'migration' then 'Source record' else 'Captorra intake' end
            as _form_group
    from all_fields

    union all

    select
        {{ external_id("'field_' || replace(model, '.', '_')", 'name') }} as id,
        case model when 'crm.lead' then 'crm.model_crm_lead' else 'base.model_res_partner' end
            as "model_id/id",
        name,
        field_description,
        ttype,
        relation,
        is_indexed as index,
        false as required,
        help,
        'actionstep' as _source_system,
        source_model as _source_model,
        source_id as _source_id,
        case
            when source_model = 'custom_field' and model = 'crm.lead' then 'Actionstep matter data'
            when source_model = 'custom_field' then 'Actionstep participant data'
            when model = 'res.partner' then 'Trust ledger'
            else 'Actionstep matter'
        end as _form_group
    from (
        select *, 'migration' as source_model, name as source_id
        from (
            values
                ('crm.lead', 'x_source_matter_id', 'Actionstep Matter ID', 'char', null, true,
                 'Matter (action) id in Actionstep; the source of the external id.'),
                ('crm.lead', 'x_matter_type', 'Matter Type', 'char', null, false,
                 'Actionstep matter type (also a tag).'),
                ('crm.lead', 'x_related_matter_id', 'Related Matter', 'many2one', 'crm.lead', false,
                 'The first related matter in Actionstep; further ones are listed in the description.'),
                ('crm.lead', 'x_related_matter_type', 'Related Matter Type', 'selection', null, false,
                 'parent, child or related (related where Actionstep does not say).'),
                ('crm.lead', 'x_billing_lines', 'Billing Lines', 'text', null, false,
                 'Actionstep time entries, legacy time records, disbursements and bills (JSON array).'),
                ('res.partner', 'x_trust_balance', 'Trust Balance', 'text', null, false,
                 'Trust ledger balance per currency (JSON object), from the trust ledger export.'),
                ('res.partner', 'x_trust_transactions', 'Trust Transactions', 'text', null, false,
                 'Trust ledger transactions of the client''s matters (JSON array).')
        ) as fixed (model, name, field_description, ttype, relation, is_indexed, help)

        union all

        select
            model,
            odoo_name,
            label,
            ttype,
            null,
            false,
            'Actionstep custom data field ' || array_to_string(field_ids, ', ') || ' (' || source_type || ').',
            'custom_field',
            odoo_name
        from {{ ref('int_actionstep__custom_fields') }}
        where not is_shared_with_captorra
    ) as actionstep_fields
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
