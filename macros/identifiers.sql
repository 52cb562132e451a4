{# External ids live in module legal2odoo (docs/design.md §4). Odoo ids may not hold dots after the
   module, so the key part keeps letters, digits and underscores only. #}
{% macro external_id(kind, key) -%}
    ('legal2odoo.' || {{ kind }} || '_' || regexp_replace(cast({{ key }} as varchar), '[^A-Za-z0-9_]', '_', 'g'))
{%- endmacro %}

{# One partner per person: the same normalised email gives the same id in every source and run. #}
{% macro partner_external_id(normalised_email) -%}
    ('legal2odoo.partner_' || left(sha256({{ normalised_email }}), 16))
{%- endmacro %}

{# The Odoo user that owns records whose source owner has no Odoo user (a scalar). #}
{% macro fallback_owner_id() -%}
    (select min(user_id) from {{ ref('stg_odoo__users') }}
     where is_active and login_key = lower('{{ var("fallback_owner_login") }}'))
{%- endmacro %}

{# One company per normalised name (normalise_company_name), the same in every source and run. #}
{% macro company_external_id(company_key) -%}
    ('legal2odoo.company_' || left(sha256({{ company_key }}), 16))
{%- endmacro %}

{# One referral-source partner per referrer (case and spacing ignored), in every source. #}
{% macro referrer_external_id(referrer_key) -%}
    ('legal2odoo.referrer_' || left(sha256({{ referrer_key }}), 16))
{%- endmacro %}

{# The crm.lost.reason of a lost stage, named after it: one reason per name, whichever source
   (Actionstep "Closed Lost", Captorra "Declined" / "Rejected" / "Referred Out"). #}
{% macro lost_reason_external_id(stage_name) -%}
    {{ external_id("'lost_reason'", selection_value(stage_name)) }}
{%- endmacro %}
