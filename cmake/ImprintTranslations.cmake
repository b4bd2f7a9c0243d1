# imprint_add_translations(<target> <catalog> SOURCES <files>...)
#
# Each window library owns one catalog per language: translations/<catalog>_<lang>.ts.
# The .qm files are compiled into the target as resources under :/i18n, where
# imprint::ui::installTranslators() finds them. With IMPRINT_UPDATE_TRANSLATIONS (the
# default) the build refreshes the .ts files from the sources whenever a source changes,
# so a new tr() string shows up in the catalog for the translator at once;
# tst_translations fails while any of them is left untranslated.
#
# The commands are written here rather than with qt_add_lupdate/qt_add_lrelease (Qt 6.4):
# those ran lupdate on every build, rewriting the catalogs and so relinking everything
# that links a window library, and ran lrelease with no ordering against lupdate, so that
# lrelease once read a half-written catalog ("Premature end of document").
option(IMPRINT_UPDATE_TRANSLATIONS "Refresh translations/*.ts from the sources when they change" ON)
set(IMPRINT_LANGUAGES de)

function(imprint_add_translations target catalog)
    cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "SOURCES")
    set(sources)
    foreach(source ${arg_SOURCES})
        get_filename_component(absolute ${source} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
        list(APPEND sources ${absolute})
    endforeach()
    set(ts_files)
    foreach(language ${IMPRINT_LANGUAGES})
        list(APPEND ts_files ${PROJECT_SOURCE_DIR}/translations/${catalog}_${language}.ts)
    endforeach()
    # English is the source language and needs only its plural forms ("%n day(s)" ->
    # "1 day", "2 days"): a catalog made with -pluralonly, loaded under every language.
    set(plural_ts ${PROJECT_SOURCE_DIR}/translations/${catalog}_en.ts)
    set(options -silent -no-obsolete -locations none -no-ui-lines)
    set(includes "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")

    set(updated)
    if(IMPRINT_UPDATE_TRANSLATIONS)
        set(updated ${CMAKE_CURRENT_BINARY_DIR}/${catalog}.lupdate.stamp)
        add_custom_command(OUTPUT ${updated}
            COMMAND Qt6::lupdate ${options} "$<$<BOOL:${includes}>:-I$<JOIN:${includes},;-I>>"
                ${sources} -ts ${ts_files}
            COMMAND Qt6::lupdate ${options} -pluralonly "$<$<BOOL:${includes}>:-I$<JOIN:${includes},;-I>>"
                ${sources} -ts ${plural_ts}
            COMMAND ${CMAKE_COMMAND} -E touch ${updated}
            DEPENDS ${sources}
            COMMENT "Updating translations/${catalog}_*.ts from the sources"
            COMMAND_EXPAND_LISTS VERBATIM)
    endif()

    set(qm_files)
    foreach(ts ${ts_files} ${plural_ts})
        get_filename_component(name ${ts} NAME_WE)
        set(qm ${CMAKE_CURRENT_BINARY_DIR}/${name}.qm)
        # After lupdate (the stamp), never beside it.
        add_custom_command(OUTPUT ${qm}
            COMMAND Qt6::lrelease -silent ${ts} -qm ${qm}
            DEPENDS ${ts} ${updated}
            COMMENT "Compiling translations/${name}.ts"
            VERBATIM)
        list(APPEND qm_files ${qm})
    endforeach()
    qt_add_resources(${target} "${target}_translations" PREFIX /i18n BASE ${CMAKE_CURRENT_BINARY_DIR}
        FILES ${qm_files})
endfunction()
