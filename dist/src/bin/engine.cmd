@echo off
rem The engine's launcher on Windows, in a release install (bin\ beside lib\, plugins\ and, if bundled, runtime\).
setlocal
set "ENGINE_HOME=%~dp0.."
if exist "%ENGINE_HOME%\runtime\bin\java.exe" (
  set "ENGINE_JAVA=%ENGINE_HOME%\runtime\bin\java.exe"
) else if defined JAVA_HOME (
  set "ENGINE_JAVA=%JAVA_HOME%\bin\java.exe"
) else (
  set "ENGINE_JAVA=java"
)
"%ENGINE_JAVA%" %ENGINE_JAVA_OPTS% "-Dsluice.home=%ENGINE_HOME%" -jar "%ENGINE_HOME%\lib\engine.jar" %*
exit /b %ERRORLEVEL%
