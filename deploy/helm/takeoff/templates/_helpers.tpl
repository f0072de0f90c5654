{{- define "takeoff.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "takeoff.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "takeoff.selectorLabels" -}}
app.kubernetes.io/name: {{ include "takeoff.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "takeoff.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "takeoff.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "takeoff.image" -}}
{{- $tag := default (printf "%s-%s" .Chart.AppVersion .Values.image.variant) .Values.image.tag -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}

{{/* The drain arithmetic: the kubelet's SIGKILL must come after the preStop sleep, the grace and the teardown. */}}
{{- define "takeoff.terminationGracePeriodSeconds" -}}
{{- add (int .Values.drain.preStopSleepSeconds) (int .Values.drain.shutdownGraceSeconds) (int .Values.drain.marginSeconds) -}}
{{- end -}}

{{- define "takeoff.modelsClaimName" -}}
{{- default (printf "%s-models" (include "takeoff.fullname" .)) .Values.modelsVolume.claimName -}}
{{- end -}}

{{- define "takeoff.apiKeysSecret" -}}
{{- default (printf "%s-api-keys" (include "takeoff.fullname" .)) .Values.apiKeys.existingSecret -}}
{{- end -}}

{{- define "takeoff.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "takeoff.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}
