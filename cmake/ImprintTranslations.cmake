# imprint_add_translations(<target> <catalog> SOURCES <files>...)
#
# Each window library owns one catalog per language: translations/<catalog>_<lang>.ts.
# The .qm files are compiled into the target as resources under :/i18n, where
# imprint::ui::installTranslators() finds them. With IMPRINT_UPDATE_TRANSLATIONS (the
# default) every build refreshes the .ts files from the sources first, so a new tr()
# string shows up in the catalog for the translator at once; tst_translations fails
# while any of them is left untranslated.
option(IMPRINT_UPDATE_TRANSLATIONS "Refresh translations/*.ts from the sources on every build" ON)
set(IMPRINT_LANGUAGES de)

function(imprint_add_translations target catalog)
    cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "SOURCES")
    set(ts_files)
    foreach(language ${IMPRINT_LANGUAGES})
        list(APPEND ts_files ${PROJECT_SOURCE_DIR}/translations/${catalog}_${language}.ts)
    endforeach()
    qt_add_translations(${target}
        TS_FILES ${ts_files}
        SOURCES ${arg_SOURCES}
        RESOURCE_PREFIX /i18n
        LUPDATE_OPTIONS -no-obsolete -locations none -no-ui-lines)
    if(IMPRINT_UPDATE_TRANSLATIONS)
        add_dependencies(${target} ${target}_lupdate)
    endif()
    set_property(GLOBAL APPEND PROPERTY IMPRINT_TS_FILES ${ts_files})
endfunction()
