<#
.SYNOPSIS
    Generates MAML help (en-US/MdaiClara.Cmdlets.dll-Help.xml) for the staged module from the cmdlets' own
    metadata and their XML documentation comments, so help and code cannot drift apart.
.DESCRIPTION
    Doc comment conventions on each cmdlet class: <para type="synopsis">, <para type="description">, and
    <example><code>…</code><para>…</para></example>; on each parameter property: <para type="description">.
    Runs in its own pwsh (build.ps1 starts it) because it imports the staged module.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleBase,
    [Parameter(Mandatory)] [string] $DocumentationFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

[xml] $docs = Get-Content -LiteralPath $DocumentationFile -Raw
$members = @{}
foreach ($m in $docs.doc.members.member) { $members[$m.name] = $m }

function Get-Para($node, [string] $type) {
    if (-not $node) { return @() }
    @($node.SelectNodes(".//para[@type='$type']") | ForEach-Object { ($_.InnerText -replace '\s+', ' ').Trim() })
}

$module = Import-Module (Join-Path $ModuleBase 'MdaiClara.psd1') -PassThru -Force
# -WhatIf and -Confirm are shown (syntax and parameters) for cmdlets that support ShouldProcess; the other common
# parameters are summed up by [<CommonParameters>], as Get-Help does for every cmdlet.
$commonParameters = [System.Management.Automation.Internal.CommonParameters].GetProperties().Name
$shouldProcessParameters = [System.Management.Automation.Internal.ShouldProcessParameters].GetProperties().Name
$shouldProcessText = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run: nothing is written, and no folder is created.'
    Confirm = 'Prompts you for confirmation before each change.'
}

$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$helpDir = Join-Path $ModuleBase 'en-US'
New-Item -ItemType Directory -Force -Path $helpDir | Out-Null
$target = Join-Path $helpDir 'MdaiClara.Cmdlets.dll-Help.xml'
$temp = "$target.tmp"
$w = [System.Xml.XmlWriter]::Create($temp, $settings)

function Write-Paras([string[]] $paras) {
    foreach ($p in $paras) { $w.WriteElementString('maml', 'para', $ns.maml, $p) }
}

function Get-TypeName([type] $type, [switch] $Full) {
    # What a reader types: Double for Nullable<Double>, String[] for arrays, List<String> for generics; never Nullable`1.
    if ($type.IsArray) { return (Get-TypeName $type.GetElementType() -Full:$Full) + '[]' }
    $inner = [Nullable]::GetUnderlyingType($type)
    if ($inner) { return Get-TypeName $inner -Full:$Full }
    $name = if ($Full -and $type.Namespace) { "$($type.Namespace).$($type.Name)" } else { $type.Name }
    if ($type.IsGenericType) {
        $name = $name.Substring(0, $name.IndexOf('`')) + '<' + (($type.GetGenericArguments() | ForEach-Object { Get-TypeName $_ -Full:$Full }) -join ', ') + '>'
    }
    $name
}

function Get-PipelineText($attribute) {
    $kinds = @()
    if ($attribute.ValueFromPipeline) { $kinds += 'ByValue' }
    if ($attribute.ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}

$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh')
$w.WriteAttributeString('schema', 'maml')
foreach ($cmd in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
    $classDoc = $members["T:$($cmd.ImplementingType.FullName)"]
    $synopsis = Get-Para $classDoc 'synopsis'
    $description = Get-Para $classDoc 'description'
    if (-not $synopsis -or -not $description) { throw "$($cmd.Name): the class doc comment needs <para type=""synopsis""> and <para type=""description"">." }

    $w.WriteStartElement('command', 'command', $ns.command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)
    $w.WriteStartElement('command', 'details', $ns.command)
    $w.WriteElementString('command', 'name', $ns.command, $cmd.Name)
    $w.WriteElementString('command', 'verb', $ns.command, $cmd.Verb)
    $w.WriteElementString('command', 'noun', $ns.command, $cmd.Noun)
    $w.WriteStartElement('maml', 'description', $ns.maml); Write-Paras $synopsis; $w.WriteEndElement()
    $w.WriteEndElement()
    $w.WriteStartElement('maml', 'description', $ns.maml); Write-Paras $description; $w.WriteEndElement()

    $parameters = $cmd.Parameters.Values | Where-Object { $_.Name -notin $commonParameters -and $_.Name -notin $shouldProcessParameters }
    $w.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $cmd.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $ns.command)
        $w.WriteElementString('maml', 'name', $ns.maml, $cmd.Name)
        # The cmdlet's own parameters, then -WhatIf and -Confirm (the order Get-Help uses for built-in cmdlets).
        $own = @($set.Parameters | Where-Object { $_.Name -notin $commonParameters -and $_.Name -notin $shouldProcessParameters })
        $confirm = @($set.Parameters | Where-Object { $_.Name -in $shouldProcessParameters } | Sort-Object { $shouldProcessParameters.IndexOf($_.Name) })
        foreach ($p in $own + $confirm) {
            $w.WriteStartElement('command', 'parameter', $ns.command)
            $w.WriteAttributeString('required', "$($p.IsMandatory)".ToLowerInvariant())
            $w.WriteAttributeString('position', $(if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' }))
            $w.WriteElementString('maml', 'name', $ns.maml, $p.Name)
            if ($p.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                $w.WriteStartElement('command', 'parameterValue', $ns.command)
                $w.WriteAttributeString('required', 'true')
                $w.WriteString((Get-TypeName $p.ParameterType))
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($p in $parameters | Sort-Object Name) {
        # A parameter may be declared on a base class (MdaiPackageCmdlet): its doc comment is under that type.
        $declaring = $cmd.ImplementingType.GetProperty($p.Name).DeclaringType
        $propertyDoc = $members["P:$($declaring.FullName).$($p.Name)"]
        $paraText = Get-Para $propertyDoc 'description'
        if (-not $paraText) { throw "$($cmd.Name) -$($p.Name): the property doc comment needs <para type=""description"">." }
        $attribute = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })[0]
        $globbing = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        $w.WriteStartElement('command', 'parameter', $ns.command)
        $w.WriteAttributeString('required', "$($attribute.Mandatory)".ToLowerInvariant())
        $w.WriteAttributeString('position', $(if ($attribute.Position -ge 0) { "$($attribute.Position)" } else { 'named' }))
        $w.WriteAttributeString('pipelineInput', (Get-PipelineText $attribute))
        $w.WriteAttributeString('globbing', "$globbing".ToLowerInvariant())
        $w.WriteAttributeString('aliases', $(if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }))
        $w.WriteElementString('maml', 'name', $ns.maml, $p.Name)
        $w.WriteStartElement('maml', 'description', $ns.maml); Write-Paras $paraText; $w.WriteEndElement()
        $w.WriteStartElement('command', 'parameterValue', $ns.command)
        $w.WriteAttributeString('required', 'true')
        $w.WriteString((Get-TypeName $p.ParameterType))
        $w.WriteEndElement()
        $w.WriteStartElement('dev', 'type', $ns.dev); $w.WriteElementString('maml', 'name', $ns.maml, (Get-TypeName $p.ParameterType -Full)); $w.WriteEndElement()
        $w.WriteEndElement()
    }
    foreach ($name in $shouldProcessParameters | Where-Object { $cmd.Parameters.ContainsKey($_) }) {
        $w.WriteStartElement('command', 'parameter', $ns.command)
        $w.WriteAttributeString('required', 'false')
        $w.WriteAttributeString('position', 'named')
        $w.WriteAttributeString('pipelineInput', 'False')
        $w.WriteAttributeString('globbing', 'false')
        $w.WriteAttributeString('aliases', $(if ($cmd.Parameters[$name].Aliases.Count) { $cmd.Parameters[$name].Aliases -join ', ' } else { 'none' }))
        $w.WriteElementString('maml', 'name', $ns.maml, $name)
        $w.WriteStartElement('maml', 'description', $ns.maml); Write-Paras $shouldProcessText[$name]; $w.WriteEndElement()
        $w.WriteStartElement('command', 'parameterValue', $ns.command)
        $w.WriteAttributeString('required', 'false')
        $w.WriteString('SwitchParameter')
        $w.WriteEndElement()
        $w.WriteStartElement('dev', 'type', $ns.dev); $w.WriteElementString('maml', 'name', $ns.maml, 'System.Management.Automation.SwitchParameter'); $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    # INPUTS: every type a parameter takes from the pipeline, and how it binds.
    $w.WriteStartElement('command', 'inputTypes', $ns.command)
    $inputs = foreach ($p in $parameters) {
        foreach ($attribute in $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) }) {
            $how = if ($attribute.ValueFromPipeline) { "binds -$($p.Name) by value" } else { "binds -$($p.Name) by property name ($((@($p.Name) + $p.Aliases) -join ', '))" }
            [pscustomobject] @{ Type = (Get-TypeName $p.ParameterType -Full); How = $how }
        }
    }
    if (-not $inputs) {
        $inputs = @([pscustomobject] @{ Type = 'None'; How = 'This cmdlet takes no input from the pipeline.' })
    }
    foreach ($group in $inputs | Group-Object Type) {
        $w.WriteStartElement('command', 'inputType', $ns.command)
        $w.WriteStartElement('dev', 'type', $ns.dev); $w.WriteElementString('maml', 'name', $ns.maml, $group.Name); $w.WriteEndElement()
        $w.WriteStartElement('maml', 'description', $ns.maml); Write-Paras @(($group.Group.How | Select-Object -Unique) -join '; '); $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'returnValues', $ns.command)
    foreach ($type in $cmd.OutputType) {
        $w.WriteStartElement('command', 'returnValue', $ns.command)
        $typeName = if ($type.Type) { Get-TypeName $type.Type -Full } else { $type.Name }
        $w.WriteStartElement('dev', 'type', $ns.dev); $w.WriteElementString('maml', 'name', $ns.maml, $typeName); $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $examples = @(if ($classDoc) { $classDoc.SelectNodes('.//example') })
    if ($examples.Count -eq 0) { throw "$($cmd.Name): the class doc comment needs at least one <example>." }
    $w.WriteStartElement('command', 'examples', $ns.command)
    $i = 0
    foreach ($example in $examples) {
        $i++
        $w.WriteStartElement('command', 'example', $ns.command)
        $w.WriteElementString('maml', 'title', $ns.maml, "-------------------------- Example $i --------------------------")
        # A multi-line <code> keeps the doc comment's indentation on its later lines: remove what they share.
        $lines = @($example.SelectSingleNode('code').InnerText.Trim() -split '\r?\n')
        if ($lines.Count -gt 1) {
            $indent = ($lines[1..($lines.Count - 1)] | Where-Object { $_.Trim() } | ForEach-Object { $_.Length - $_.TrimStart().Length } | Measure-Object -Minimum).Minimum
            if ($indent) { $lines = @($lines[0]) + @($lines[1..($lines.Count - 1)] | ForEach-Object { if ($_.Length -ge $indent) { $_.Substring($indent) } else { $_.TrimStart() } }) }
        }
        $w.WriteElementString('dev', 'code', $ns.dev, ($lines -join "`n"))
        $w.WriteStartElement('dev', 'remarks', $ns.dev)
        Write-Paras @($example.SelectNodes('para') | ForEach-Object { ($_.InnerText -replace '\s+', ' ').Trim() })
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Dispose()
Move-Item -LiteralPath $temp -Destination $target -Force
Write-Host "Help written to $target"
