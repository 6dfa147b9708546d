// RekognitionApi: CopyProjectVersion — a trained version copied to another project of this
// server (or the same one) under a new name: its model directory, metrics, data copy and
// evaluation. COPYING_IN_PROGRESS while the files are copied, then COPYING_COMPLETED; the copy
// starts, detects and is deleted like any trained version.
#include <iostream>

#include "core/arn.h"
#include "core/files.h"
#include "service/api_error.h"
#include "service/rekognition_api.h"
#include "service/request_fields.h"

namespace apiary::service {
namespace fs = std::filesystem;

namespace {

// `from` copied to `to` (which must not exist) as one step: into a hidden sibling first, every
// file synced, then renamed, so a crash leaves no half-copied model directory.
void copy_model_dir(const fs::path& from, const fs::path& to) {
    const fs::path staged = temp_sibling(to);
    create_directories_durably(to.parent_path());
    try {
        for (const auto& item : fs::recursive_directory_iterator(from)) {
            const fs::path dest = staged / fs::relative(item.path(), from);
            if (item.is_directory()) fs::create_directories(dest);
            else if (item.is_regular_file()) copy_file_atomic(item.path(), dest, /*durable=*/false);
        }
        fs::create_directories(staged);  // an empty source is still a directory
        sync_filesystem(staged);
        rename_durably(staged, to);
    } catch (...) {
        std::error_code ec;
        fs::remove_all(staged, ec);
        throw;
    }
}

}  // namespace

Json RekognitionApi::copy_project_version(const Json& request) {
    const Members req(request);
    const std::string& source_project_arn = req.required_string("SourceProjectArn");
    const std::string& source_arn = req.required_string("SourceProjectVersionArn");
    const std::string& destination_arn = req.required_string("DestinationProjectArn");
    const std::string& name = req.required_string("VersionName");
    const auto output = req.optional_object("OutputConfig");
    const auto tags = tags_member(req, "Tags");
    if (tags.size() > 50) throw rekognition::service_quota_exceeded("Tags: a resource has at most 50 tags");
    const auto kms_key = req.optional_string("KmsKeyId");
    if (kms_key && kms_key->size() > 2048) throw rekognition::invalid_parameter("KmsKeyId exceeds 2048 characters");
    const Json output_config = checked_output_config(output);
    store::VersionInfo source, copy;
    {
        std::lock_guard lock(catalog_mutex_);
        const auto source_project = project_of(source_project_arn);
        source = version_of(source_arn);
        if (source.project != source_project.name)
            throw rekognition::invalid_parameter("SourceProjectVersionArn is not a version of SourceProjectArn");
        const auto destination = project_of(destination_arn);
        check_new_version_name(destination, name);
        if (!has_trained_model(source.status))
            throw rekognition::in_use("model version " + source.name + " is " + to_string(source.status) +
                                      "; only a trained model is copied");
        Json config = source.config;
        config.erase("inference_units");
        config.erase("output_config");
        config.erase("kms_key_id");
        config["source_version_arn"] = source.arn;
        if (output_config.is_object()) config["output_config"] = output_config;
        if (kms_key) config["kms_key_id"] = *kms_key;
        copy = catalog_.copy_version(source, destination, name, config);
        if (!tags.empty()) catalog_.set_tags(copy.arn, tags);
    }
    // The files outside the lock: other requests go on meanwhile, and see COPYING_IN_PROGRESS.
    std::string failure;
    try {
        copy_model_dir(source.dir, copy.dir);
        if (output_config.is_object()) put_evaluation_summary(copy, output_config);
    } catch (const std::exception& e) {
        std::clog << "copying " << source.arn << " to " << copy.arn << " failed: " << e.what() << "\n";
        failure = "The model could not be copied; the server's log has the details.";
    }
    std::lock_guard lock(catalog_mutex_);
    catalog_.update_version(copy, failure.empty() ? store::VersionStatus::CopyingCompleted : store::VersionStatus::CopyingFailed,
                            failure.empty() ? "The model was copied." : failure, source.metrics);
    return {{"ProjectVersionArn", copy.arn}};
}

}  // namespace apiary::service
