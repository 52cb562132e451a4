{# Shared reshaping helpers for every source (Captorra now, Actionstep later). #}

{# A company's consolidation key: case, punctuation, '&' and trailing legal suffixes
   (LLC, L.L.C., Inc., LLP, P.C., PLLC, Corp., Ltd., …) do not make a different company.
   'Acme Holdings, L.L.C.', 'ACME HOLDINGS llc' and 'Acme Holdings' share the key
   'acme holdings'. Blank gives null. #}
{% macro normalise_company_name(column) -%}
    nullif(trim(regexp_replace(
        trim(regexp_replace(
            replace(replace(lower(coalesce({{ column }}, '')), '.', ''), '&', ' and '),
            '[^a-z0-9]+', ' ', 'g')),
        '( (llc|llp|lllp|pllc|pc|pa|inc|incorporated|corp|corporation|ltd|limited|plc))+$', '', 'g')), '')
{%- endmacro %}

{# The Odoo technical name of a custom field: x_ + the name in lower snake case, at most
   63 characters (a PostgreSQL identifier; Odoo requires the x_ prefix for manual fields). #}
{% macro odoo_field_name(name) -%}
    ('x_' || left(trim(regexp_replace(lower(trim({{ name }})), '[^a-z0-9]+', '_', 'g'), '_'), 61))
{%- endmacro %}

{# The stored value of a selection option: lower snake case of its label. #}
{% macro selection_value(label) -%}
    trim(regexp_replace(lower(trim({{ label }})), '[^a-z0-9]+', '_', 'g'), '_')
{%- endmacro %}

{# Text made safe inside an html field (Odoo's description and mail bodies are html). #}
{% macro html_escape(column) -%}
    replace(replace(replace(replace({{ column }}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;')
{%- endmacro %}

{# Plain text as html paragraphs: escaped, line breaks kept. #}
{% macro text_to_html(column) -%}
    ('<p>' || replace({{ html_escape(column) }}, chr(10), '<br/>') || '</p>')
{%- endmacro %}

{# Html (as exported by CRMs) as plain text: tags dropped, common entities decoded. #}
{% macro html_to_text(column) -%}
    trim(replace(replace(replace(replace(replace(
        regexp_replace(regexp_replace({{ column }}, '<(br|/p|/li|/div)[^>]*>', chr(10), 'gi'), '<[^>]*>', '', 'g'),
        '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&nbsp;', ' '), '&amp;', '&'))
{%- endmacro %}

{# An amount as typed ('$12,345.67', '0.25', '1 200'): a double, null when blank or not a number. #}
{% macro parse_number(column) -%}
    try_cast(nullif(regexp_replace(trim({{ column }}), '[$€£,\s]', '', 'g'), '') as double)
{%- endmacro %}

{# Yes/no words as a boolean; blank or anything else is null (unknown, not false). #}
{% macro parse_boolean(column) -%}
    case
        when lower(trim({{ column }})) in ('yes', 'y', 'true', '1') then true
        when lower(trim({{ column }})) in ('no', 'n', 'false', '0') then false
    end
{%- endmacro %}

{# A calendar date, US (MM/DD/YYYY) or ISO; no timezone (a date is a date everywhere). #}
{% macro parse_us_or_iso_date(column) -%}
    cast(case when {{ full_year(column) }} then
        try_strptime(trim({{ column }}), ['%m/%d/%Y', '%Y-%m-%d', '%m/%d/%Y %I:%M %p', '%Y-%m-%d %H:%M:%S'])
    end as date)
{%- endmacro %}
